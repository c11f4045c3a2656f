/**
 * Applications and the nearest relative (DOMAIN §3.1 "Applications", §3.2) [law]. Pure.
 *
 * The Hub **records and flags** an application made on paper whatever its evidence (the
 * application exists in the world), with one exception where it holds the law's own bar: an
 * s.3 or guardianship application after the nearest relative objected and was not displaced
 * (s.11(4)) is refused.
 */
import { addDays, londonDate, type LocalDate } from './london-time.js';
import { OUTCOMES_OWING_NO_REASONS, outcomeMakesApplication, type FlagCode, type Outcome } from './vocabulary.js';

export interface Recommendation {
  practitioner: string;
  approval: string;
  examinedOn: LocalDate;
  signedOn: LocalDate;
}

/** The application as the referral records it. `origin`: the outcome, or a later `application-made`. */
export interface Application {
  section: 's2' | 's3' | 's4' | 's7';
  at: string;
  seq: number;
  origin: 'outcome' | 'application-made';
  byAmhpId?: string;
  hospital?: string;
  guardian?: string;
  recommendations?: Recommendation[];
  amhpSeenOn?: LocalDate;
}

/** What the referral knows of the nearest relative's position (§3.2). */
export interface NearestRelativeStatus {
  identity?: 'person' | 'none' | 'unknown';
  /** Who the nearest relative is now, when identified after intake or acting after displacement. */
  person?: { name: string; relationship?: string; contact?: string };
  /** s.29: displaced by the county court; the acting nearest relative is then the one to consult. */
  displacedAt?: string;
  consulted?: { at: string; objects: boolean };
  informedAt?: string;
  notPracticable?: { at: string; reason: string };
  /** s.29(3)(c)/(d): a displacement application pending (extends s.2). */
  displacementPendingAt?: string;
}

export const SECTION_OF_OUTCOME: Partial<Record<Outcome, Application['section']>> = {
  'detained-s2': 's2',
  'detained-s3': 's3',
  'detained-s4': 's4',
  'guardianship-s7': 's7',
};

const daysBetween = (a: LocalDate, b: LocalDate): number =>
  Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);

/**
 * The evidence checks of DOMAIN §3.1, each its own flag: too few recommendations (two for s.2,
 * s.3 and s.7, one for s.4); examinations more than five clear days apart (s.12(1)); a
 * recommendation signed after the application; the application outside 14 days beginning with
 * the last examination (s.6(1)(a)); the AMHP not having seen the person within the 14 days
 * ending with the application (s.11(5)). Dates are London calendar dates.
 */
export function evidenceFlags(app: Application): FlagCode[] {
  const flags: FlagCode[] = [];
  const recs = app.recommendations ?? [];
  const applied = londonDate(new Date(app.at));
  if (recs.length < (app.section === 's4' ? 1 : 2)) flags.push('evidence-too-few-recommendations');
  if (recs.length >= 2 && Math.abs(daysBetween(recs[0]!.examinedOn, recs[1]!.examinedOn)) - 1 > 5)
    flags.push('evidence-examinations-too-far-apart');
  if (recs.some((r) => r.signedOn > applied)) flags.push('evidence-signed-after-application');
  const lastExamination = recs
    .map((r) => r.examinedOn)
    .sort()
    .at(-1);
  if (lastExamination !== undefined && applied > addDays(lastExamination, 13))
    flags.push('evidence-outside-admission-window');
  if (app.amhpSeenOn === undefined || app.amhpSeenOn > applied || applied > addDays(app.amhpSeenOn, 13))
    flags.push('evidence-amhp-not-seen-within-14-days');
  return flags;
}

/**
 * The nearest relative to write to and consult now (§3.2): the acting one after displacement,
 * else the one identified after intake, else the one the referral gave.
 */
export function currentNearestRelative(
  given:
    | { known: boolean; name?: string | undefined; relationship?: string | undefined; contact?: string | undefined }
    | undefined,
  status: NearestRelativeStatus | undefined,
): { name?: string; relationship?: string; contact?: string } | undefined {
  if (status?.identity === 'none' || status?.identity === 'unknown') return undefined;
  if (status?.person) return status.person;
  if (!given?.known) return undefined;
  return {
    ...(given.name ? { name: given.name } : {}),
    ...(given.relationship ? { relationship: given.relationship } : {}),
    ...(given.contact ? { contact: given.contact } : {}),
  };
}

/** s.11(4): an s.3 or guardianship application after an objection not displaced is barred. */
export const objectionBars = (section: Application['section'], nr: NearestRelativeStatus | undefined): boolean =>
  (section === 's3' || section === 's7') && nr?.consulted?.objects === true;

/** Whether an outcome owes the nearest relative written reasons (s.13(4), DOMAIN §3.2). */
export const owesReasons = (
  basis: string | undefined,
  outcome: string | undefined,
  application: Application | undefined,
): boolean =>
  basis === 's13-4' &&
  outcome !== undefined &&
  !outcomeMakesApplication(outcome as Outcome) &&
  !(OUTCOMES_OWING_NO_REASONS as readonly string[]).includes(outcome) &&
  application === undefined;

/** The nearest-relative flags that hold now (they clear when the facts change). */
export function nearestRelativeFlagsHolding(
  app: Application | undefined,
  nr: NearestRelativeStatus | undefined,
  reasons: { owed: boolean; sent: boolean },
): FlagCode[] {
  const flags: FlagCode[] = [];
  const settled = nr?.identity === 'none' || nr?.notPracticable !== undefined;
  if (app && (app.section === 's2' || app.section === 's4') && !(nr?.informedAt || settled))
    flags.push('nearest-relative-not-informed');
  if (app && (app.section === 's3' || app.section === 's7') && !((nr?.consulted && !nr.consulted.objects) || settled))
    flags.push('nearest-relative-not-consulted');
  if (reasons.owed && !reasons.sent) flags.push('reasons-in-writing-pending');
  return flags;
}
