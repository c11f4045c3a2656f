/**
 * The FHIR mapping both ways, pure: the examples map to bodies the referral schema accepts;
 * every Hub field a refusal can name maps back to a FHIR element; each Hub status reads as a
 * Task status and businessStatus; everything the facade sends is valid R4 by medplum's
 * validator; the committed definitions are what the generator writes, and no more.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Bundle, Encounter, Patient, ServiceRequest } from '@medplum/fhirtypes';
import { buildDefinitions, DEFINITIONS_PATH, FHIR_RESOURCES } from '../../scripts/generate-fhir-definitions.js';
import { aeS52Message, ambulanceS136Message } from '../../shared/domain/fhir/examples.js';
import { intakeOf } from '../../shared/domain/fhir/intake.js';
import { EXT } from '../../shared/domain/fhir/codes.js';
import { serviceRequestOf, taskOf, TASK_STATUS, type ReferrerView } from '../../shared/domain/fhir/task.js';
import { taskMessage } from '../../shared/domain/fhir/message.js';
import { fhirFeedbackMessage } from '../../shared/domain/fhir/feedback.js';
import type { FeedbackMessage } from '../../shared/domain/feedback.js';
import { capabilityStatement } from '../../shared/domain/fhir/capability.js';
import { expressionOfPointer, operationOutcome, safeIssueText } from '../../shared/domain/fhir/outcome.js';
import { baseResourceIssues } from '../../shared/fhir/validate.js';
import { REFERRAL_STATUSES } from '../../shared/domain/lifecycle.js';
import { ReferralCreate } from '../../shared/schemas/referral.js';

const entry = <T>(b: Bundle, type: string) => b.entry!.find((e) => e.resource?.resourceType === type)!.resource as T;

describe('definitions', () => {
  it('the committed file is what the generator writes: the facade’s resources and the datatypes they reach', () => {
    const built = buildDefinitions();
    expect(readFileSync(DEFINITIONS_PATH, 'utf8')).toBe(`${JSON.stringify(built)}\n`);
    const resources = built.filter((sd) => sd.kind === 'resource' && !sd.abstract).map((sd) => sd.type);
    expect(resources.sort()).toEqual([...FHIR_RESOURCES].sort());
    // The whole R4 set is ~30 MB: the bundle carries only this.
    expect(readFileSync(DEFINITIONS_PATH).length).toBeLessThan(450_000);
  });
});

describe('FHIR → Hub (intakeOf)', () => {
  it.each([
    ['ambulance s.136', ambulanceS136Message],
    ['A&E s.5(2)', aeS52Message],
  ])('%s: valid R4, and a body the referral schema accepts', (_name, build) => {
    const message = build();
    expect(baseResourceIssues(message)).toEqual([]);
    const intake = intakeOf(message);
    expect(intake.issues).toEqual([]);
    const parsed = ReferralCreate.safeParse(intake.body);
    expect(parsed.error?.issues ?? []).toEqual([]);
  });

  it('maps person, identifiers, legal status, location, reason and risk flags', () => {
    const body = ReferralCreate.parse(intakeOf(ambulanceS136Message()).body);
    expect(body.referrer).toEqual({
      name: 'Alex Okafor',
      role: 'Paramedic',
      callbackPhone: '+44 7700 900321',
      referrerReference: 'AMB-20261114-3321',
    });
    expect(body.person).toMatchObject({
      givenName: 'Daniel',
      familyName: 'Marsh',
      dateOfBirth: '1992-03-08',
      nhsNumber: '9434765919',
      sex: 'male',
      ethnicity: 'A',
      firstLanguage: 'English',
      interpreterNeeded: false,
    });
    expect(body.legalStatus).toEqual({
      status: 's136',
      detainedAt: '2026-11-14T23:05:00Z',
      detainedAtLocationType: 'public-place',
      arrivedAtPlaceOfSafetyAt: '2026-11-14T23:40:00Z',
      placeOfSafetyType: 'health-based-place-of-safety',
    });
    expect(body.location).toEqual({
      type: 'place-of-safety',
      siteId: 'p-hbpos',
      description: 'Northshire s.136 suite',
    });
    expect(body).toMatchObject({
      responsibleLssa: 'E06000055',
      urgency: 'immediate',
      basis: 'consideration',
      doctorWithPreviousKnowledge: 'unknown',
    });
    // active = yes, inactive = no, no Flag = unknown.
    expect(body.risk).toEqual({
      violence: 'no',
      weapons: 'no',
      animals: 'unknown',
      substanceUse: 'yes',
      othersPresent: 'unknown',
      accessIssues: 'unknown',
      loneWorkerRisk: 'yes',
      notes: 'Had been drinking; calm since arrival.',
      policeAttendanceRequested: false,
    });
    expect(body.nearestRelative).toEqual({
      known: true,
      name: 'Ruth Marsh',
      relationship: 'mother',
      contact: '+44 7700 900456',
    });
    expect(body.gp).toEqual({ practiceName: 'Riverside Surgery', odsCode: 'A81001' });
    const ae = ReferralCreate.parse(intakeOf(aeS52Message()).body);
    expect(ae.referrer.email).toBe('liaison@acute-trust.example');
    expect(ae.location.address).toEqual({
      lines: ['Northshire General Hospital', 'Hospital Road'],
      postcode: 'MK40 1AA',
    });
  });

  it('names the FHIR element of every Hub field the schema refuses', () => {
    const message = ambulanceS136Message();
    entry<Patient>(message, 'Patient').identifier![0]!.value = '9434765918';
    delete entry<ServiceRequest>(message, 'ServiceRequest').reasonCode;
    entry<ServiceRequest>(message, 'ServiceRequest').priority = 'routine';
    entry<Encounter>(message, 'Encounter').extension![0]!.extension!.find(
      (e) => e.url === 'placeOfSafetyType',
    )!.valueCode = 'car-park';
    const intake = intakeOf(message);
    const parsed = ReferralCreate.safeParse(intake.body);
    expect(parsed.success).toBe(false);
    const named = parsed.error!.issues.map((i) => intake.expressionOf(i.path)).sort();
    expect(named).toEqual([
      `Encounter.extension('${EXT.legalStatus}').extension('placeOfSafetyType').value`,
      'Patient.identifier[0].value',
      'ServiceRequest.reasonCode.text',
    ]);
  });

  it('refuses messages it cannot read, naming where', () => {
    const noHeader = ambulanceS136Message();
    noHeader.entry!.reverse();
    expect(intakeOf(noHeader).issues[0]).toMatchObject({ expression: 'Bundle.entry[0].resource' });
    const noPatient = ambulanceS136Message();
    noPatient.entry = noPatient.entry!.filter((e) => e.resource?.resourceType !== 'Patient');
    expect(intakeOf(noPatient).issues[0]).toMatchObject({ expression: 'ServiceRequest.subject', code: 'required' });
    expect(intakeOf({ ...ambulanceS136Message(), type: 'collection' }).issues[0]).toMatchObject({
      expression: 'Bundle.type',
    });
  });

  it('medplum finds base-resource faults and names them', () => {
    const m = ambulanceS136Message();
    (entry<Patient>(m, 'Patient') as any).birthDate = '1992-13-40';
    const issues = baseResourceIssues(m);
    expect(issues.map((i) => i.expression?.[0])).toContain('Bundle.entry[2].resource.birthDate');
  });
});

const view = (status: string, extra: Partial<ReferrerView> = {}): ReferrerView =>
  ({
    id: '01KA2B3C4D5E6F7G8H9J0K1M2N',
    reference: 'R-7K3M-9Q2P',
    referrerReference: 'AMB-1',
    status,
    version: 3,
    receivedAt: '2026-11-14T23:52:00.000Z',
    updatedAt: '2026-11-15T01:00:00.000Z',
    responsibleLssa: 'E06000055',
    basis: 'consideration',
    urgency: 'immediate',
    clocks: [],
    lastEvent: { type: status, at: '2026-11-15T01:00:00.000Z' },
    ...extra,
  }) as ReferrerView;

describe('Hub → FHIR (taskOf)', () => {
  it('every Hub status has a Task status and businessStatus', () => {
    expect(Object.keys(TASK_STATUS).sort()).toEqual([...REFERRAL_STATUSES].sort());
    expect(Object.fromEntries(REFERRAL_STATUSES.map((s) => [s, taskOf(view(s)).status]))).toEqual({
      received: 'received',
      'under-review': 'received',
      accepted: 'accepted',
      'not-accepted': 'rejected',
      allocated: 'in-progress',
      'assessment-in-progress': 'in-progress',
      'outcome-recorded': 'completed',
      closed: 'completed',
      withdrawn: 'cancelled',
    });
  });

  it('carries the outcome disposition and next steps; valid R4 as Task, ServiceRequest and message', () => {
    const v = view('outcome-recorded', {
      outcome: { outcome: 'detained-s2', nextSteps: 'Bed found.', at: '2026-11-15T01:00:00.000Z', amended: false },
    } as never);
    const task = taskOf(v);
    expect(task.output).toEqual([
      { type: { coding: [expect.objectContaining({ code: 'outcome' })] }, valueString: 'detained-s2' },
      { type: { coding: [expect.objectContaining({ code: 'next-steps' })] }, valueString: 'Bed found.' },
    ]);
    expect(baseResourceIssues(task)).toEqual([]);
    expect(baseResourceIssues(serviceRequestOf(v))).toEqual([]);
    expect(
      baseResourceIssues(
        taskMessage({ id: `${v.id}-7`, timestamp: v.updatedAt, task, event: 'servicerequest-response' }),
      ),
    ).toEqual([]);
    expect(baseResourceIssues(capabilityStatement('2026-12-04'))).toEqual([]);
    expect(
      baseResourceIssues(
        operationOutcome([{ code: 'required', message: 'required', expression: 'Patient.birthDate' }]),
      ),
    ).toEqual([]);
  });
});

describe('FHIR feedback', () => {
  it.each(['accepted', 'not-accepted', 'allocated', 'outcome-recorded', 'withdrawn', 'clock-breached'])(
    'referral.%s as a FHIR message: valid R4, MessageHeader + Task, nothing beyond the JSON message',
    (type) => {
      const json = JSON.parse(
        readFileSync(new URL(`../../events/samples/webhooks/referral.${type}.json`, import.meta.url), 'utf8'),
      ) as FeedbackMessage;
      const bundle = fhirFeedbackMessage(json);
      expect(baseResourceIssues(bundle)).toEqual([]);
      expect(bundle.entry!.map((e) => e.resource!.resourceType)).toEqual(['MessageHeader', 'Task']);
      const task = bundle.entry![1]!.resource as { status: string; businessStatus: { coding: { code: string }[] } };
      expect(task.status).toBe(TASK_STATUS[json.data.status]!.status);
      // Every string in the FHIR message is a code, a system, an id or a value of the JSON message.
      const jsonValues = new Set(JSON.stringify(json).match(/"[^"]*"/g));
      const strings = JSON.stringify(bundle)
        .match(/"[^"]*"/g)!
        .filter((v) => !jsonValues.has(v));
      expect(
        strings.filter((v) => / /.test(v) && !/^"(AMHP Referral Hub|[A-Z][a-z]+( [a-z]+)*|AMHP allocated)"$/.test(v)),
      ).toEqual([]);
    },
  );
});

describe('docs/fhir.md', () => {
  it('shows the committed ambulance example as it is', () => {
    const doc = readFileSync(new URL('../../docs/fhir.md', import.meta.url), 'utf8');
    const sample = readFileSync(new URL('../../events/samples/fhir/ambulance-s136.json', import.meta.url), 'utf8');
    expect(doc).toContain(sample.trimEnd());
  });
});

describe('OperationOutcome helpers', () => {
  it('JSON Pointers of the request become FHIRPath; issue texts lose quoted values', () => {
    expect(expressionOfPointer('/entry/2/resource/birthDate')).toBe('Bundle.entry[2].resource.birthDate');
    expect(expressionOfPointer('/headers/Idempotency-Key')).toBe('X-Request-ID');
    expect(expressionOfPointer('/query/_count')).toBe('_count');
    expect(safeIssueText('Invalid additional property "foo"')).toBe('Invalid additional property "foo"');
    expect(safeIssueText('Value "9434765918" did not match')).toBe('Value (value) did not match');
  });
});
