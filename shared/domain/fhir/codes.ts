/**
 * The systems and codes of the Hub's FHIR R4 facade (docs/fhir.md): NHS and HL7 systems where
 * one exists, the Hub's own (under HUB_FHIR) where none does. One place, so the intake mapping,
 * the Task mapping, the CapabilityStatement and the docs agree.
 */
export const NHS_NUMBER_SYSTEM = 'https://fhir.nhs.uk/Id/nhs-number';
export const ODS_SYSTEM = 'https://fhir.nhs.uk/Id/ods-organization-code';
export const ETHNIC_CATEGORY_EXT = 'https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-EthnicCategory';
export const ETHNIC_CATEGORY_SYSTEM = 'https://fhir.hl7.org.uk/CodeSystem/UKCore-EthnicCategoryEngland';
export const INTERPRETER_EXT = 'http://hl7.org/fhir/StructureDefinition/patient-interpreterRequired';
export const DATA_ABSENT_EXT = 'http://hl7.org/fhir/StructureDefinition/data-absent-reason';
export const V2_RELATIONSHIP = 'http://terminology.hl7.org/CodeSystem/v2-0131';
export const BARS_MESSAGE_EVENTS = 'https://fhir.nhs.uk/CodeSystem/message-events-bars';
export const REQUEST_EVENT = 'servicerequest-request';
export const RESPONSE_EVENT = 'servicerequest-response';

export const HUB_FHIR = 'https://amhp-referral-hub.example/fhir';
const sd = (name: string) => `${HUB_FHIR}/StructureDefinition/${name}`;
const cs = (name: string) => `${HUB_FHIR}/CodeSystem/${name}`;

/** Identifier systems. */
export const ID = {
  /** The referrer's incident, custody or case number: ServiceRequest.identifier. */
  referrerReference: `${HUB_FHIR}/Id/referrer-reference`,
  /** The Hub's human-readable reference (e.g. AMHP-…). */
  hubReference: `${HUB_FHIR}/Id/referral-reference`,
  /** ONS local authority code of the LSSA responsible (ServiceRequest.performer). */
  lssa: `${HUB_FHIR}/Id/lssa`,
  /** A site of the Hub's registry (place of safety, A&E). */
  site: `${HUB_FHIR}/Id/site`,
} as const;

/** Hub extensions. */
export const EXT = {
  referrerRole: sd('referrer-role'),
  referrerContact: sd('referrer-contact'),
  legalStatus: sd('mha-legal-status'),
  locationAddress: sd('location-address'),
  alternativesTried: sd('alternatives-tried'),
  doctorWithPreviousKnowledge: sd('doctor-with-previous-knowledge'),
  rcrpGround: sd('rcrp-ground'),
  identityUnknown: sd('identity-unknown'),
  personDescription: sd('person-description'),
  estimatedAgeBand: sd('estimated-age-band'),
  appearsUnder18: sd('appears-under-18'),
  communicationNeeds: sd('communication-needs'),
} as const;

/** Code systems. */
export const CS = {
  basis: cs('referral-basis'),
  locationType: cs('location-type'),
  risk: cs('risk'),
  businessStatus: cs('referral-business-status'),
  taskOutput: cs('task-output'),
} as const;

/** Hub urgency ⇄ ServiceRequest.priority. */
export const PRIORITY_OF_URGENCY = { immediate: 'stat', today: 'asap', planned: 'routine' } as const;
export const URGENCY_OF_PRIORITY: Record<string, string> = {
  stat: 'immediate',
  asap: 'today',
  urgent: 'today',
  routine: 'planned',
};

/** Hub sex ⇄ Patient.gender. */
export const GENDER_OF_SEX = {
  male: 'male',
  female: 'female',
  indeterminate: 'other',
  'not-known': 'unknown',
} as const;
export const SEX_OF_GENDER: Record<string, string> = {
  male: 'male',
  female: 'female',
  other: 'indeterminate',
  unknown: 'not-known',
};

/** The structured risk items: one Flag each; `active` = yes, `inactive` = no, absent = unknown. */
export const RISK_ITEMS = [
  'violence',
  'weapons',
  'animals',
  'substanceUse',
  'othersPresent',
  'accessIssues',
  'loneWorkerRisk',
] as const;
export const POLICE_ATTENDANCE = 'policeAttendanceRequested';
export const RISK_NOTES = 'notes';
