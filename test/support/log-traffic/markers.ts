/**
 * The log scan's markers (test/integration/log-scan.test.ts): values no log line has any reason
 * to contain, the referral body that carries them in every identifiable field, and the scan.
 */
import { ulid } from 'ulid';
import { nhsCheckDigit } from '../../../shared/domain/nhs-number.js';
import { SECRET_LOOKING_MESSAGE } from '../fixtures.js';
import { j1Body } from '../referrals.js';

export const NHS_DIGITS = `450557710${nhsCheckDigit('450557710')}`; // a valid NHS number
export const NHS_SPACED = `${NHS_DIGITS.slice(0, 3)} ${NHS_DIGITS.slice(3, 6)} ${NHS_DIGITS.slice(6)}`;
export const BAD_NHS_DIGITS = `450557710${(nhsCheckDigit('450557710')! + 1) % 10}`; // wrong check digit
export const BAD_NHS_SPACED = `${BAD_NHS_DIGITS.slice(0, 3)} ${BAD_NHS_DIGITS.slice(3, 6)} ${BAD_NHS_DIGITS.slice(6)}`;

export const M = {
  givenName: 'Zanthorpe',
  familyName: 'Quillisande',
  dateOfBirth: '1983-07-19',
  futureDateOfBirth: '2091-03-17',
  addressLine: 'Larkspur Mansions',
  street: 'Wendlebury Row',
  postcode: 'MK41 9ZX',
  placeDescription: 'Gorsebrook bus depot',
  officer: 'Ambrose Fennimore',
  officerPhone: '7700 900318',
  officerEmail: 'ambrose.fennimore@police-a.example',
  reason: 'Wyvernholt',
  alternatives: 'Kestrelmoor',
  riskNote: 'Brisingamen',
  relative: 'Perpetua',
  relativePhone: '7700 900417',
  gpPractice: 'Glebefield Surgery',
  gpPhone: '01632 960555',
  coordinator: 'Casimir Ondaatje',
  coordinatorPhone: '01632 960777',
  coordinatorEmail: 'casimir.ondaatje@nhs.example',
  communication: 'Yseult',
  description: 'Lindisfarne-tattoo',
  triageReason: 'Halcyonfield',
  notAcceptReason: 'Pellucidar',
  nextSteps: 'Marrowfield',
  infoNote: 'Saltwhistle',
  escalationNote: 'Nightjarward',
  bedNote: 'Thornbury side room',
  bedAnswer: 'Quarrendon',
  outcomeSteps: 'Tamsinfold',
  outcomeReasons: 'Mirabeth',
  amendReason: 'Oxenholme',
  withdrawReason: 'Fellwarden',
  closeNote: 'Brackenridge',
  unitName: 'Cloudberry Ward',
  unitContact: '01632 960888',
  webhookPath: 'Sparrowhawke',
  onCallManager: 'Vavasour Kingsettle',
} as const;

export const MARKERS: string[] = [
  ...Object.values(M),
  NHS_DIGITS,
  NHS_SPACED,
  BAD_NHS_DIGITS,
  BAD_NHS_SPACED,
  // The single-line crash fixture's message (a name, an NHS number, an address).
  ...['Jane Example', '943 476 5919', '1 Test Street'].filter((part) => SECRET_LOOKING_MESSAGE.includes(part)),
  '9434765919',
];

/** A referral body whose every identifiable field is a marker. */
export function markedBody() {
  const body = j1Body({
    person: {
      givenName: M.givenName,
      familyName: M.familyName,
      dateOfBirth: M.dateOfBirth,
      nhsNumber: NHS_SPACED,
      communicationNeeds: `Prefers an interpreter called ${M.communication}`,
    },
  });
  body.referrer = {
    name: `PC ${M.officer}`,
    role: 'Street triage officer',
    callbackPhone: `+44 ${M.officerPhone}`,
    email: M.officerEmail,
    referrerReference: `INC-${ulid().slice(-8)}`,
  };
  body.location = {
    type: 'public-place',
    address: { lines: [`Flat 7 ${M.addressLine}`, `12 ${M.street}`], postcode: M.postcode },
    description: `Behind the ${M.placeDescription}`,
  };
  body.reasonForReferral = `Found on ${M.reason} bridge, distressed and talking about ending his life.`;
  body.alternativesTried = `Spoke with the ${M.alternatives} crisis line.`;
  body.risk = { ...body.risk, notes: `Carried a ${M.riskNote} blade earlier.` };
  body.nearestRelative = {
    known: true,
    name: `${M.relative} ${M.familyName}`,
    relationship: 'sister',
    contact: `+44 ${M.relativePhone}`,
  };
  body.gp = { practiceName: M.gpPractice, phone: M.gpPhone };
  body.careCoordinator = {
    name: M.coordinator,
    team: 'Riverside CMHT',
    phone: M.coordinatorPhone,
    email: M.coordinatorEmail,
  };
  return body;
}

/** Lines with any marker (case-insensitive), each with the markers it contains. */
export function hits(lines: readonly string[]) {
  const lower = MARKERS.map((m) => m.toLowerCase());
  return lines.flatMap((line) => {
    const l = line.toLowerCase();
    const found = MARKERS.filter((_, i) => l.includes(lower[i]!));
    return found.length ? [{ markers: found, line: line.slice(0, 400) }] : [];
  });
}
