/**
 * FHIR → Hub: a BaRS-shaped referral message (Bundle of type `message`: MessageHeader,
 * ServiceRequest, Patient, Encounter, Flags) becomes the body of `POST /v1/referrals`, which the
 * SAME zod schema then checks. Every Hub field the mapping reads is recorded with the FHIR
 * element it came from, so a refusal of the Hub schema names the FHIR element
 * (`expressionOf(zodIssue.path)`). Pure: no I/O; the mapping table is in docs/fhir.md.
 */
import type {
  Bundle,
  Encounter,
  Extension,
  Flag,
  MessageHeader,
  Patient,
  Reference,
  Resource,
  ServiceRequest,
} from '@medplum/fhirtypes';
import {
  CS,
  ETHNIC_CATEGORY_EXT,
  EXT,
  ID,
  INTERPRETER_EXT,
  NHS_NUMBER_SYSTEM,
  ODS_SYSTEM,
  POLICE_ATTENDANCE,
  RISK_ITEMS,
  RISK_NOTES,
  SEX_OF_GENDER,
  URGENCY_OF_PRIORITY,
  V2_RELATIONSHIP,
} from './codes.js';

export interface IntakeIssue {
  /** FHIRPath of the element at fault, rooted at its resource type. */
  readonly expression: string;
  readonly message: string;
  readonly code: 'required' | 'structure' | 'value' | 'not-supported';
}

export interface Intake {
  /** The Hub create body (unchecked: the referral schema checks it); absent when the message is unusable. */
  readonly body?: Record<string, unknown>;
  readonly issues: IntakeIssue[];
  /** The FHIR element a Hub body path came from (the nearest mapped ancestor). */
  expressionOf(path: readonly PropertyKey[]): string;
  readonly messageHeaderId?: string;
}

type Entry = { resource: Resource; index: number };

const extOf = (exts: Extension[] | undefined, url: string) => exts?.find((e) => e.url === url);
const extPath = (base: string, url: string) => `${base}.extension('${url}')`;

/** A complex extension as an object: sub-extension url = field name (`…At` values are dateTimes). */
function objectOfExtension(ext: Extension): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const sub of ext.extension ?? []) {
    if (sub.extension?.length) out[sub.url] = objectOfExtension(sub);
    else {
      const v =
        sub.valueDateTime ?? sub.valueCode ?? sub.valueString ?? sub.valueBoolean ?? sub.valueId ?? sub.valueInstant;
      if (v !== undefined) out[sub.url] = v;
    }
  }
  return out;
}

class Mapper {
  readonly paths = new Map<string, string>();
  readonly issues: IntakeIssue[] = [];
  /** Records where a Hub field comes from, whether or not the message has it. */
  from(hubPath: string, expression: string): void {
    this.paths.set(hubPath, expression);
  }
  expressionOf = (path: readonly PropertyKey[]): string => {
    for (let n = path.length; n > 0; n--) {
      const hit = this.paths.get(path.slice(0, n).map(String).join('.'));
      if (hit) return hit;
    }
    return 'Bundle';
  };
}

function resolver(entries: Entry[]) {
  return (ref: Reference | undefined, type: string): Entry | undefined => {
    const r = ref?.reference;
    if (!r) return undefined;
    return entries.find(
      (e) =>
        e.resource.resourceType === type &&
        ((e as { fullUrl?: string }).fullUrl === r ||
          `${type}/${e.resource.id}` === r ||
          ((e as { fullUrl?: string }).fullUrl ?? '').endsWith(`/${r}`)),
    );
  };
}

/** The referral message as the Hub's create body, with where each field came from. */
export function intakeOf(bundle: Bundle): Intake {
  const m = new Mapper();
  const entries: (Entry & { fullUrl?: string })[] = (bundle.entry ?? []).flatMap((e, index) =>
    e.resource ? [{ resource: e.resource, index, ...(e.fullUrl ? { fullUrl: e.fullUrl } : {}) }] : [],
  );
  const resolve = resolver(entries);
  const header =
    entries[0]?.resource.resourceType === 'MessageHeader' ? (entries[0].resource as MessageHeader) : undefined;
  const fail = (expression: string, message: string, code: IntakeIssue['code'] = 'required'): Intake => ({
    issues: [{ expression, message, code }],
    expressionOf: m.expressionOf,
  });
  if (bundle.type !== 'message') return fail('Bundle.type', 'a referral is a Bundle of type message', 'value');
  if (!header) return fail('Bundle.entry[0].resource', 'a message starts with its MessageHeader');
  if (header.eventCoding?.code !== 'servicerequest-request')
    return fail('MessageHeader.eventCoding', 'only servicerequest-request messages are accepted', 'not-supported');
  const sr = resolve(header.focus?.[0], 'ServiceRequest')?.resource as ServiceRequest | undefined;
  if (!sr) return fail('MessageHeader.focus', 'the message focus must reference the ServiceRequest in the Bundle');
  const patient = resolve(sr.subject, 'Patient')?.resource as Patient | undefined;
  if (!patient) return fail('ServiceRequest.subject', 'must reference the Patient in the Bundle');
  const encounter = resolve(sr.encounter, 'Encounter')?.resource as Encounter | undefined;
  if (!encounter)
    return fail(
      'ServiceRequest.encounter',
      'must reference the Encounter (where the person is, their legal status) in the Bundle',
    );
  const flags = entries.filter((e) => e.resource.resourceType === 'Flag').map((e) => e.resource as Flag);

  const body: Record<string, unknown> = {};
  // --- Referrer (ServiceRequest.identifier, requester, extensions).
  const ref = sr.identifier?.find((i) => i.system === ID.referrerReference);
  m.from('referrer', 'ServiceRequest.requester');
  m.from('referrer.referrerReference', `ServiceRequest.identifier.where(system='${ID.referrerReference}').value`);
  m.from('referrer.name', 'ServiceRequest.requester.display');
  m.from('referrer.role', extPath('ServiceRequest', EXT.referrerRole));
  // referrer-contact repeats: one ContactPoint each (the callback phone; an e-mail address).
  const contacts = (sr.extension ?? []).filter((e) => e.url === EXT.referrerContact).map((e) => e.valueContactPoint);
  const phone = contacts.find((c) => c?.system === 'phone');
  const email = contacts.find((c) => c?.system === 'email');
  m.from(
    'referrer.callbackPhone',
    `${extPath('ServiceRequest', EXT.referrerContact)}.value.where(system='phone').value`,
  );
  m.from('referrer.email', `${extPath('ServiceRequest', EXT.referrerContact)}.value.where(system='email').value`);
  body.referrer = {
    name: sr.requester?.display,
    role: extOf(sr.extension, EXT.referrerRole)?.valueString,
    callbackPhone: phone?.value,
    ...(email?.value ? { email: email.value } : {}),
    referrerReference: ref?.value,
  };
  // --- What is asked, why, how soon.
  const basis = sr.category?.flatMap((c) => c.coding ?? []).find((c) => c.system === CS.basis)?.code;
  m.from('basis', `ServiceRequest.category.coding.where(system='${CS.basis}').code`);
  if (basis) body.basis = basis;
  m.from('responsibleLssa', `ServiceRequest.performer.identifier.where(system='${ID.lssa}').value`);
  body.responsibleLssa = sr.performer?.map((p) => p.identifier).find((i) => i?.system === ID.lssa)?.value;
  m.from('reasonForReferral', 'ServiceRequest.reasonCode.text');
  body.reasonForReferral = sr.reasonCode?.[0]?.text;
  m.from('urgency', 'ServiceRequest.priority');
  body.urgency = sr.priority ? (URGENCY_OF_PRIORITY[sr.priority] ?? sr.priority) : undefined;
  m.from('alternativesTried', extPath('ServiceRequest', EXT.alternativesTried));
  const alternatives = extOf(sr.extension, EXT.alternativesTried)?.valueString;
  if (alternatives !== undefined) body.alternativesTried = alternatives;
  m.from('doctorWithPreviousKnowledge', extPath('ServiceRequest', EXT.doctorWithPreviousKnowledge));
  // Not stated is not known: the one answer the Hub would record for silence.
  body.doctorWithPreviousKnowledge = extOf(sr.extension, EXT.doctorWithPreviousKnowledge)?.valueCode ?? 'unknown';

  body.person = personOf(patient, m);
  Object.assign(body, encounterFields(encounter, m));
  body.risk = riskOf(flags, m);
  const nr = nearestRelativeOf(patient, m);
  if (nr) body.nearestRelative = nr;
  const gp = patient.generalPractitioner?.[0];
  if (gp) {
    m.from('gp', 'Patient.generalPractitioner');
    m.from('gp.practiceName', 'Patient.generalPractitioner.display');
    m.from('gp.odsCode', `Patient.generalPractitioner.identifier.where(system='${ODS_SYSTEM}').value`);
    body.gp = {
      practiceName: gp.display,
      ...(gp.identifier?.system === ODS_SYSTEM && gp.identifier.value ? { odsCode: gp.identifier.value } : {}),
    };
  }
  return { body, issues: m.issues, expressionOf: m.expressionOf, ...(header.id ? { messageHeaderId: header.id } : {}) };
}

function personOf(p: Patient, m: Mapper): Record<string, unknown> {
  m.from('person', 'Patient');
  m.from('person.sex', 'Patient.gender');
  m.from('person.ethnicity', extPath('Patient', ETHNIC_CATEGORY_EXT));
  m.from('person.communicationNeeds', extPath('Patient', EXT.communicationNeeds));
  m.from('person.firstLanguage', 'Patient.communication.language.text');
  m.from('person.interpreterNeeded', extPath('Patient', INTERPRETER_EXT));
  const common: Record<string, unknown> = {
    sex: p.gender ? (SEX_OF_GENDER[p.gender] ?? p.gender) : undefined,
    ethnicity: extOf(p.extension, ETHNIC_CATEGORY_EXT)?.valueCodeableConcept?.coding?.[0]?.code,
  };
  const needs = extOf(p.extension, EXT.communicationNeeds)?.valueString;
  if (needs !== undefined) common.communicationNeeds = needs;
  const language = p.communication?.[0]?.language?.text ?? p.communication?.[0]?.language?.coding?.[0]?.display;
  if (language !== undefined) common.firstLanguage = language;
  const interpreter = extOf(p.extension, INTERPRETER_EXT)?.valueBoolean;
  if (interpreter !== undefined) common.interpreterNeeded = interpreter;
  if (extOf(p.extension, EXT.identityUnknown)?.valueBoolean === true) {
    m.from('person.identityUnknown', extPath('Patient', EXT.identityUnknown));
    m.from('person.description', extPath('Patient', EXT.personDescription));
    m.from('person.estimatedAgeBand', extPath('Patient', EXT.estimatedAgeBand));
    m.from('person.appearsUnder18', extPath('Patient', EXT.appearsUnder18));
    const under18 = extOf(p.extension, EXT.appearsUnder18)?.valueBoolean;
    return {
      identityUnknown: true,
      description: extOf(p.extension, EXT.personDescription)?.valueString,
      estimatedAgeBand: extOf(p.extension, EXT.estimatedAgeBand)?.valueCode,
      ...(under18 !== undefined ? { appearsUnder18: under18 } : {}),
      ...common,
    };
  }
  m.from('person.givenName', 'Patient.name.given');
  m.from('person.familyName', 'Patient.name.family');
  m.from('person.dateOfBirth', 'Patient.birthDate');
  const nhsIndex = p.identifier?.findIndex((i) => i.system === NHS_NUMBER_SYSTEM) ?? -1;
  m.from('person.nhsNumber', `Patient.identifier[${Math.max(nhsIndex, 0)}].value`);
  const name = p.name?.find((n) => n.use === 'official') ?? p.name?.[0];
  return {
    givenName: name?.given?.[0],
    familyName: name?.family,
    dateOfBirth: p.birthDate,
    ...(nhsIndex >= 0 ? { nhsNumber: p.identifier![nhsIndex]!.value } : {}),
    ...common,
  };
}

function encounterFields(e: Encounter, m: Mapper): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const at = e.location?.[0];
  m.from('location', 'Encounter.location');
  m.from('location.type', `Encounter.location.physicalType.coding.where(system='${CS.locationType}').code`);
  m.from('location.siteId', `Encounter.location.location.identifier.where(system='${ID.site}').value`);
  m.from('location.description', 'Encounter.location.location.display');
  m.from('location.address', extPath('Encounter.location', EXT.locationAddress));
  m.from('location.address.lines', `${extPath('Encounter.location', EXT.locationAddress)}.value.line`);
  m.from('location.address.postcode', `${extPath('Encounter.location', EXT.locationAddress)}.value.postalCode`);
  if (at) {
    const address = extOf(at.extension, EXT.locationAddress)?.valueAddress;
    const site = at.location?.identifier?.system === ID.site ? at.location.identifier.value : undefined;
    out.location = {
      type: at.physicalType?.coding?.find((c) => c.system === CS.locationType)?.code,
      ...(address
        ? { address: { lines: address.line, ...(address.postalCode ? { postcode: address.postalCode } : {}) } }
        : {}),
      ...(site ? { siteId: site } : {}),
      ...(at.location?.display ? { description: at.location.display } : {}),
    };
  }
  const legal = extOf(e.extension, EXT.legalStatus);
  const base = extPath('Encounter', EXT.legalStatus);
  m.from('legalStatus', base);
  for (const field of [
    'status',
    'detainedAt',
    'detainedAtLocationType',
    'arrivedAtPlaceOfSafetyAt',
    'keptWhereFoundAt',
    'placeOfSafetyType',
    'placeOfSafetySiteId',
    'enteredPremisesAt',
    'recordedAt',
    'furnishedAt',
    'precedingS54RecordedAt',
    'applicationAt',
    'medicalExaminationAt',
    'admittedAt',
    'inspectorAuthorisation',
  ])
    m.from(`legalStatus.${field}`, `${base}.extension('${field}').value`);
  for (const field of ['authorisedAt', 'ground', 'healthcareProfessionalAvailable'])
    m.from(
      `legalStatus.inspectorAuthorisation.${field}`,
      `${base}.extension('inspectorAuthorisation').extension('${field}').value`,
    );
  m.from('legalStatus.inspectorAuthorisation', `${base}.extension('inspectorAuthorisation')`);
  if (legal) out.legalStatus = objectOfExtension(legal);
  return out;
}

function riskOf(flags: Flag[], m: Mapper): Record<string, unknown> {
  const codeOf = (f: Flag) => f.code.coding?.find((c) => c.system === CS.risk)?.code;
  const byCode = new Map(flags.map((f) => [codeOf(f), f]));
  const where = (code: string) => `Flag.where(code.coding.code='${code}')`;
  m.from('risk', 'Flag');
  const risk: Record<string, unknown> = {};
  for (const item of RISK_ITEMS) {
    m.from(`risk.${item}`, `${where(item)}.status`);
    const f = byCode.get(item);
    risk[item] = !f ? 'unknown' : f.status === 'active' ? 'yes' : f.status === 'inactive' ? 'no' : f.status;
  }
  const police = byCode.get(POLICE_ATTENDANCE);
  m.from('risk.policeAttendanceRequested', `${where(POLICE_ATTENDANCE)}.status`);
  m.from('risk.rcrpGround', `${where(POLICE_ATTENDANCE)}.extension('${EXT.rcrpGround}').value`);
  risk.policeAttendanceRequested = police?.status === 'active';
  const ground = extOf(police?.extension, EXT.rcrpGround)?.valueCode;
  if (ground !== undefined) risk.rcrpGround = ground;
  m.from('risk.notes', `${where(RISK_NOTES)}.code.text`);
  const notes = byCode.get(RISK_NOTES)?.code.text;
  if (notes !== undefined) risk.notes = notes;
  return risk;
}

function nearestRelativeOf(p: Patient, m: Mapper): Record<string, unknown> | undefined {
  const i =
    p.contact?.findIndex((c) =>
      c.relationship?.some((r) => r.coding?.some((x) => x.system === V2_RELATIONSHIP && x.code === 'N')),
    ) ?? -1;
  if (i < 0) return undefined;
  const c = p.contact![i]!;
  m.from('nearestRelative', `Patient.contact[${i}]`);
  m.from('nearestRelative.name', `Patient.contact[${i}].name.text`);
  m.from('nearestRelative.relationship', `Patient.contact[${i}].relationship.text`);
  m.from('nearestRelative.contact', `Patient.contact[${i}].telecom.value`);
  const relationship = c.relationship?.find((r) => r.text)?.text;
  return {
    known: true,
    ...(c.name?.text ? { name: c.name.text } : {}),
    ...(relationship ? { relationship } : {}),
    ...(c.telecom?.[0]?.value ? { contact: c.telecom[0].value } : {}),
  };
}
