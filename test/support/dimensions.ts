/** One fact's dimensions (an adult s.136 at night, police, Bedford): the base the de-identification tests vary. */
import type { Dimension } from '../../shared/deidentify/facts.js';

export const BASE_DIMENSIONS: Readonly<Record<Dimension, string>> = {
  agencyType: 'police',
  legalStatus: 's136',
  outcome: 'pending',
  ethnicityGroup: 'white',
  ageBand: '25-34',
  sex: 'male',
  lssa: 'E06000055',
  hourOfDay: '23',
  dayOfWeek: '6',
  outOfHours: 'true',
};
