/** The log scan's other referrals: a possible duplicate not accepted, an unidentified person withdrawn. */
import { expect } from 'vitest';
import { j1Body } from '../referrals.js';
import { step, type TrafficClient } from './client.js';
import { M, markedBody } from './markers.js';

/** A possible duplicate from another agency, then not accepted. */
export async function driveDuplicate(c: TrafficClient) {
  const { t, create, event } = c;
  const dup = await create(t.ae, { ...markedBody(), urgency: 'today' });
  expect(dup.status).toBe(201);
  let dupTag = dup.etag!;
  dupTag = await step(event(t.lead, dup.body.id, { type: 'start-review' }, dupTag), 200);
  await step(
    event(
      t.lead,
      dup.body.id,
      {
        type: 'not-accept',
        reason: `Duplicate: ${M.notAcceptReason}`,
        disposition: 'advice',
        nextSteps: `Call the ${M.nextSteps} team`,
      },
      dupTag,
    ),
    200,
  );
}

/** An unidentified person, withdrawn by the referrer. */
export async function driveWithdrawal(c: TrafficClient) {
  const { t, create, event } = c;
  const unknown = j1Body();
  unknown.person = {
    identityUnknown: true,
    description: `Tall man, ${M.description} on his neck`,
    estimatedAgeBand: '25-34',
    sex: 'male',
    ethnicity: 'Z',
  };
  const third = await create(t.policeB, unknown);
  expect(third.status, JSON.stringify(third.body)).toBe(201);
  await step(
    event(t.policeB, third.body.id, { type: 'withdraw', reason: `Taken home by ${M.withdrawReason}` }, third.etag),
    200,
  );
}
