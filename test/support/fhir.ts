/** FHIR facade test helpers: the committed example messages, moved to now and made unique. */
import { randomUUID } from 'node:crypto';
import type { Bundle, Encounter, Patient, ServiceRequest } from '@medplum/fhirtypes';
import { loadSample } from './samples.js';
import { ID } from '../../shared/domain/fhir/codes.js';
import type { TestApi } from './api.js';

export const FHIR_JSON = 'application/fhir+json';

const resourceOf = <T>(b: Bundle, type: string): T =>
  b.entry!.find((e) => e.resource?.resourceType === type)!.resource as T;
export const patientOf = (b: Bundle) => resourceOf<Patient>(b, 'Patient');
export const serviceRequestOf = (b: Bundle) => resourceOf<ServiceRequest>(b, 'ServiceRequest');
export const encounterOf = (b: Bundle) => resourceOf<Encounter>(b, 'Encounter');

/** Every dateTime under the legal-status extension, moved so the latest is `minutesAgo` before now. */
function shiftTimes(b: Bundle, minutesAgo: number): void {
  const subs = encounterOf(b).extension![0]!.extension!;
  const times = subs.filter((s) => s.valueDateTime).map((s) => Date.parse(s.valueDateTime!));
  const delta = Date.now() - minutesAgo * 60_000 - Math.max(...times);
  for (const s of subs)
    if (s.valueDateTime) s.valueDateTime = new Date(Date.parse(s.valueDateTime) + delta).toISOString();
}

/** A committed example (events/samples/fhir/), times near now, a unique referrer reference and person name. */
export function fhirMessage(
  name: 'ambulance-s136' | 'ae-s5-2',
  options: { minutesAgo?: number; keepNhsNumber?: boolean } = {},
): Bundle {
  const b = structuredClone(loadSample<Bundle>(`fhir/${name}.json`));
  shiftTimes(b, options.minutesAgo ?? 5);
  const tag = randomUUID().replace(/-/g, '').slice(0, 12);
  serviceRequestOf(b).identifier = [{ system: ID.referrerReference, value: `T-${tag}` }];
  const letters = tag.replace(/[0-9a-f]/g, (c) => String.fromCharCode(97 + parseInt(c, 16)));
  const patient = patientOf(b);
  patient.name![0]!.given = [`Test${letters}`];
  if (!options.keepNhsNumber) patient.identifier = [];
  return b;
}

export const referrerReferenceOf = (b: Bundle) => serviceRequestOf(b).identifier![0]!.value!;

export async function postMessage(api: TestApi, token: string, bundle: unknown, headers: Record<string, string> = {}) {
  const res = await api.fetch('/fhir/R4/$process-message', {
    method: 'POST',
    token,
    body: JSON.stringify(bundle),
    headers: { 'Content-Type': FHIR_JSON, 'X-Request-ID': randomUUID(), ...headers },
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, any> };
}

/** The Task in a $process-message response (or a feedback message). */
export const taskIn = (message: Record<string, any>) =>
  message.entry?.find((e: any) => e.resource?.resourceType === 'Task')?.resource;
