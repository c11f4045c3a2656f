/**
 * POST /fhir/R4/$process-message: a BaRS-shaped referral message. Checked in three layers,
 * each refusal an OperationOutcome naming the FHIR element, nothing stored: the R4 base
 * resources (medplum's validator), the intake mapping (the message's structure), then the Hub's
 * own rules: the SAME referral schema and the SAME decide/commit as POST /v1/referrals.
 * X-Request-ID is the idempotency key (fhir-stack.ts); the X-Correlation-ID is kept with the
 * referral so FHIR feedback carries it back.
 */
import type { Bundle } from '@medplum/fhirtypes';
import { fhirRoute } from '../../shared/http/fhir-stack.js';
import { FhirOutcomeError } from '../../shared/http/middleware/fhir-errors.js';
import { HttpProblem } from '../../shared/http/problem.js';
import { issuesToProblems } from '../../shared/http/validation.js';
import { etagOf } from '../../shared/http/middleware/if-match.js';
import { baseResourceIssues } from '../../shared/fhir/validate.js';
import { intakeOf, type Intake } from '../../shared/domain/fhir/intake.js';
import { taskOf } from '../../shared/domain/fhir/task.js';
import { taskMessage } from '../../shared/domain/fhir/message.js';
import { safeIssueText } from '../../shared/domain/fhir/outcome.js';
import { referrerView } from '../../shared/domain/referral.js';
import { ReferralCreate } from '../../shared/schemas/referral.js';
import { createCommitInput, decideCreate } from '../../shared/referrals/create-referral.js';
import { fhirProcessMessageRoute } from '../routes/fhir-process-message.js';

const pathOfPointer = (pointer: string) =>
  pointer
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));

/** The Hub's refusal, re-addressed from its body fields to the FHIR elements they came from. */
const refused = (intake: Intake, problems: readonly { pointer: string; message: string }[]) =>
  new FhirOutcomeError(
    400,
    problems.map((p) => ({
      code: p.message === 'required' ? 'required' : 'value',
      message: p.message,
      expression: intake.expressionOf(pathOfPointer(p.pointer)),
    })),
  );

export const handler = fhirRoute(fhirProcessMessageRoute, {
  run: async ({ caller, body, now, state, commit }) => {
    const bundle = body as unknown as Bundle;
    const base = baseResourceIssues(bundle);
    if (base.length)
      throw new FhirOutcomeError(
        400,
        base.map((i) => ({
          code: i.code,
          message: safeIssueText(i.details?.text),
          ...(i.expression?.[0] ? { expression: i.expression[0] } : {}),
        })),
      );
    const intake = intakeOf(bundle);
    if (intake.issues.length || !intake.body) throw new FhirOutcomeError(400, intake.issues);
    const parsed = ReferralCreate.safeParse(intake.body);
    if (!parsed.success) throw refused(intake, issuesToProblems('body', parsed.error.issues));

    let decision: Awaited<ReturnType<typeof decideCreate>>;
    try {
      decision = await decideCreate(caller, parsed.data, now, { correlationId: state.correlationId });
    } catch (error) {
      if (error instanceof HttpProblem && error.kind === 'validation' && error.errors)
        throw refused(intake, error.errors);
      throw error;
    }
    const { record } = decision;
    const task = taskOf(referrerView(record, now));
    return commit(
      createCommitInput(decision, {
        statusCode: 200,
        headers: { 'Content-Location': `/fhir/R4/Task/${record.id}`, ETag: etagOf(record.version) },
        body: taskMessage({
          id: `${record.id}-1`,
          timestamp: record.receivedAt,
          task,
          ...(intake.messageHeaderId ? { respondsTo: intake.messageHeaderId } : {}),
        }),
      }),
    );
  },
});
