/**
 * The two FHIR examples of issue #19, as BaRS-shaped referral messages (docs/fhir.md): an
 * ambulance crew's s.136 referral (police detention in a public place, conveyed to the
 * health-based place of safety) and an A&E liaison team's s.5(2) referral (admitted via A&E to
 * the acute medical unit). Invented people with valid NHS numbers (J1's, and one of the 999 range). Written
 * to events/samples/fhir/ by `npm run samples`; tests POST them with times moved to now.
 */
import type { Bundle, BundleEntry, Flag } from '@medplum/fhirtypes';
import {
  CS,
  EXT,
  ETHNIC_CATEGORY_EXT,
  ETHNIC_CATEGORY_SYSTEM,
  ID,
  INTERPRETER_EXT,
  NHS_NUMBER_SYSTEM,
  ODS_SYSTEM,
  REQUEST_EVENT,
  BARS_MESSAGE_EVENTS,
  V2_RELATIONSHIP,
} from './codes.js';

const PATIENT_A = 'urn:uuid:9f3c0a52-0b7e-4d51-9d0e-5a3c2b1e0001';
const SR_A = 'urn:uuid:9f3c0a52-0b7e-4d51-9d0e-5a3c2b1e0002';
const ENC_A = 'urn:uuid:9f3c0a52-0b7e-4d51-9d0e-5a3c2b1e0003';
const PATIENT_B = 'urn:uuid:3c7e1d90-5f2a-4b8c-9e61-7d0a4b2c0001';
const SR_B = 'urn:uuid:3c7e1d90-5f2a-4b8c-9e61-7d0a4b2c0002';
const ENC_B = 'urn:uuid:3c7e1d90-5f2a-4b8c-9e61-7d0a4b2c0003';

const flag = (id: string, code: string, active: boolean, extra: Partial<Flag> = {}): BundleEntry => ({
  fullUrl: `urn:uuid:${id}`,
  resource: {
    resourceType: 'Flag',
    id: id.slice(0, 8),
    status: active ? 'active' : 'inactive',
    code: { coding: [{ system: CS.risk, code }], ...(extra.code ?? {}) },
    subject: { reference: id.startsWith('9f3c') ? PATIENT_A : PATIENT_B },
    ...(extra.extension ? { extension: extra.extension } : {}),
  },
});

const legal = (fields: Record<string, string | boolean>) => ({
  url: EXT.legalStatus,
  extension: Object.entries(fields).map(([url, v]) =>
    typeof v === 'boolean'
      ? { url, valueBoolean: v }
      : url.endsWith('At')
        ? { url, valueDateTime: v }
        : { url, valueCode: v },
  ),
});

/** An ambulance crew refers a man detained by police under s.136, now at the s.136 suite. */
export function ambulanceS136Message(): Bundle {
  return {
    resourceType: 'Bundle',
    id: 'b1d8c7e2-4a31-4f0e-8a55-0c6f2d9e1a01',
    type: 'message',
    timestamp: '2026-11-14T23:50:00Z',
    entry: [
      {
        fullUrl: 'urn:uuid:b1d8c7e2-4a31-4f0e-8a55-0c6f2d9e1a02',
        resource: {
          resourceType: 'MessageHeader',
          id: 'b1d8c7e2-4a31-4f0e-8a55-0c6f2d9e1a02',
          eventCoding: { system: BARS_MESSAGE_EVENTS, code: REQUEST_EVENT },
          source: { name: 'Ambulance CAD', endpoint: 'https://cad.ambulance.example/fhir' },
          destination: [{ endpoint: 'https://amhp-referral-hub.example/fhir/R4' }],
          focus: [{ reference: SR_A }],
        },
      },
      {
        fullUrl: SR_A,
        resource: {
          resourceType: 'ServiceRequest',
          identifier: [{ system: ID.referrerReference, value: 'AMB-20261114-3321' }],
          status: 'active',
          intent: 'order',
          category: [{ coding: [{ system: CS.basis, code: 'consideration' }] }],
          priority: 'stat',
          subject: { reference: PATIENT_A },
          encounter: { reference: ENC_A },
          requester: { display: 'Alex Okafor' },
          performer: [{ identifier: { system: ID.lssa, value: 'E06000055' } }],
          reasonCode: [
            {
              text:
                'Detained by police under s.136 on the railway bridge, expressing intent to jump. ' +
                'Conveyed by ambulance to the s.136 suite; medically fit.',
            },
          ],
          extension: [
            { url: EXT.referrerRole, valueString: 'Paramedic' },
            { url: EXT.referrerContact, valueContactPoint: { system: 'phone', value: '+44 7700 900321' } },
            {
              url: EXT.alternativesTried,
              valueString: 'Crisis line called at the scene; he declined to go voluntarily.',
            },
            { url: EXT.doctorWithPreviousKnowledge, valueCode: 'unknown' },
          ],
        },
      },
      {
        fullUrl: PATIENT_A,
        resource: {
          resourceType: 'Patient',
          identifier: [{ system: NHS_NUMBER_SYSTEM, value: '9434765919' }],
          name: [{ use: 'official', family: 'Marsh', given: ['Daniel'] }],
          gender: 'male',
          birthDate: '1992-03-08',
          communication: [{ language: { text: 'English' } }],
          extension: [
            {
              url: ETHNIC_CATEGORY_EXT,
              valueCodeableConcept: { coding: [{ system: ETHNIC_CATEGORY_SYSTEM, code: 'A' }] },
            },
            { url: INTERPRETER_EXT, valueBoolean: false },
          ],
          contact: [
            {
              relationship: [{ coding: [{ system: V2_RELATIONSHIP, code: 'N' }], text: 'mother' }],
              name: { text: 'Ruth Marsh' },
              telecom: [{ system: 'phone', value: '+44 7700 900456' }],
            },
          ],
          generalPractitioner: [{ display: 'Riverside Surgery', identifier: { system: ODS_SYSTEM, value: 'A81001' } }],
        },
      },
      {
        fullUrl: ENC_A,
        resource: {
          resourceType: 'Encounter',
          status: 'in-progress',
          class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'EMER' },
          subject: { reference: PATIENT_A },
          location: [
            {
              location: { display: 'Northshire s.136 suite', identifier: { system: ID.site, value: 'p-hbpos' } },
              physicalType: { coding: [{ system: CS.locationType, code: 'place-of-safety' }] },
            },
          ],
          extension: [
            legal({
              status: 's136',
              detainedAt: '2026-11-14T23:05:00Z',
              detainedAtLocationType: 'public-place',
              arrivedAtPlaceOfSafetyAt: '2026-11-14T23:40:00Z',
              placeOfSafetyType: 'health-based-place-of-safety',
            }),
          ],
        },
      },
      flag('9f3c0a52-0b7e-4d51-9d0e-5a3c2b1e0011', 'violence', false),
      flag('9f3c0a52-0b7e-4d51-9d0e-5a3c2b1e0012', 'weapons', false),
      flag('9f3c0a52-0b7e-4d51-9d0e-5a3c2b1e0013', 'substanceUse', true),
      flag('9f3c0a52-0b7e-4d51-9d0e-5a3c2b1e0014', 'loneWorkerRisk', true),
      flag('9f3c0a52-0b7e-4d51-9d0e-5a3c2b1e0015', 'notes', true, {
        code: { text: 'Had been drinking; calm since arrival.' },
      }),
      flag('9f3c0a52-0b7e-4d51-9d0e-5a3c2b1e0016', 'policeAttendanceRequested', false),
    ],
  };
}

/** A&E liaison refers a woman admitted via A&E and held under s.5(2) on the acute medical unit. */
export function aeS52Message(): Bundle {
  return {
    resourceType: 'Bundle',
    id: '3c7e1d90-5f2a-4b8c-9e61-7d0a4b2c1a01',
    type: 'message',
    timestamp: '2026-11-15T15:10:00Z',
    entry: [
      {
        fullUrl: 'urn:uuid:3c7e1d90-5f2a-4b8c-9e61-7d0a4b2c1a02',
        resource: {
          resourceType: 'MessageHeader',
          id: '3c7e1d90-5f2a-4b8c-9e61-7d0a4b2c1a02',
          eventCoding: { system: BARS_MESSAGE_EVENTS, code: REQUEST_EVENT },
          source: { name: 'A&E liaison EPR', endpoint: 'https://epr.acute-trust.example/fhir' },
          focus: [{ reference: SR_B }],
        },
      },
      {
        fullUrl: SR_B,
        resource: {
          resourceType: 'ServiceRequest',
          identifier: [{ system: ID.referrerReference, value: 'LIA-2026-11-0917' }],
          status: 'active',
          intent: 'order',
          priority: 'asap',
          subject: { reference: PATIENT_B },
          encounter: { reference: ENC_B },
          requester: { display: 'Dr Priya Shah' },
          performer: [{ identifier: { system: ID.lssa, value: 'E06000055' } }],
          reasonCode: [
            {
              text:
                'Admitted via A&E after an overdose; now asking to leave and expressing ongoing suicidal intent. ' +
                'Held under s.5(2) by the duty psychiatrist.',
            },
          ],
          extension: [
            { url: EXT.referrerRole, valueString: 'Liaison psychiatrist' },
            { url: EXT.referrerContact, valueContactPoint: { system: 'phone', value: '+44 1234 500200' } },
            { url: EXT.referrerContact, valueContactPoint: { system: 'email', value: 'liaison@acute-trust.example' } },
            { url: EXT.doctorWithPreviousKnowledge, valueCode: 'no' },
          ],
        },
      },
      {
        fullUrl: PATIENT_B,
        resource: {
          resourceType: 'Patient',
          identifier: [{ system: NHS_NUMBER_SYSTEM, value: '9990123454' }],
          name: [{ use: 'official', family: 'Hughes', given: ['Megan'] }],
          gender: 'female',
          birthDate: '1988-07-21',
          communication: [{ language: { text: 'Welsh' } }],
          extension: [
            {
              url: ETHNIC_CATEGORY_EXT,
              valueCodeableConcept: { coding: [{ system: ETHNIC_CATEGORY_SYSTEM, code: 'A' }] },
            },
            { url: INTERPRETER_EXT, valueBoolean: false },
          ],
        },
      },
      {
        fullUrl: ENC_B,
        resource: {
          resourceType: 'Encounter',
          status: 'in-progress',
          class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'IMP' },
          subject: { reference: PATIENT_B },
          location: [
            {
              location: { display: 'Acute Medical Unit, ward 4 (admitted via A&E)' },
              physicalType: { coding: [{ system: CS.locationType, code: 'inpatient-ward' }] },
              extension: [
                {
                  url: EXT.locationAddress,
                  valueAddress: { line: ['Northshire General Hospital', 'Hospital Road'], postalCode: 'MK40 1AA' },
                },
              ],
            },
          ],
          extension: [legal({ status: 's5-2', furnishedAt: '2026-11-15T15:00:00Z' })],
        },
      },
      flag('3c7e1d90-5f2a-4b8c-9e61-7d0a4b2c0011', 'violence', false),
      flag('3c7e1d90-5f2a-4b8c-9e61-7d0a4b2c0012', 'othersPresent', true),
      flag('3c7e1d90-5f2a-4b8c-9e61-7d0a4b2c0013', 'policeAttendanceRequested', false),
    ],
  };
}
