import middy from '@middy/core';
import { describe, expect, it, vi } from 'vitest';
import { AlreadyExists, DomainError, ReadIncomplete, StaleVersion } from '../../../shared/domain/errors.js';
import { mapErrors, stackFrames } from '../../../shared/http/middleware/errors.js';
import { HttpProblem, PROBLEM_CONTENT_TYPE } from '../../../shared/http/problem.js';
import { context, event, given, route, stateFor } from './harness.js';

const SECRET = 'Jane Example 943 476 5919';

const run = async (error: unknown, withState = true) => {
  const state = stateFor(route());
  const stack = middy();
  if (withState) stack.use(given(state));
  const response = await stack.use(mapErrors()).handler(async () => {
    throw error;
  })(event(), context());
  return { response, state, body: JSON.parse(response.body) };
};

describe('error mapping middleware', () => {
  it('renders an HttpProblem as problem+json with its status, errors, headers and the correlation id', async () => {
    const problem = new HttpProblem('unauthorized', 'An access token is required.', {
      headers: { 'WWW-Authenticate': 'Bearer' },
      errors: [{ pointer: '/a', message: 'required' }],
    });
    const { response, body } = await run(problem);
    expect(response.statusCode).toBe(401);
    expect(response.headers).toEqual({ 'Content-Type': PROBLEM_CONTENT_TYPE, 'WWW-Authenticate': 'Bearer' });
    expect(body).toMatchObject({
      status: 401,
      title: 'Unauthorized',
      detail: 'An access token is required.',
      correlationId: 'corr-test-0001',
      errors: [{ pointer: '/a' }],
    });
    expect(body.type).toMatch(/\/problems\/unauthorized$/);
  });

  it('answers an unknown error with a 500 that carries only the correlation id, and logs no message', async () => {
    const { response, body, state } = await run(new TypeError(`could not match ${SECRET}\n  at fake (x.ts:1:1)`));
    expect(response.statusCode).toBe(500);
    expect(body).toMatchObject({ status: 500, correlationId: 'corr-test-0001' });
    expect(response.body).not.toContain('943');
    expect(state.log.error).toHaveBeenCalledWith(
      'unhandled error',
      expect.objectContaining({ errorName: 'TypeError' }),
    );
    expect(JSON.stringify(vi.mocked(state.log.error).mock.calls)).not.toMatch(/Jane|943|x\.ts/);
  });

  it.each([
    [
      'DynamoDB throttling',
      Object.assign(new Error('Rate exceeded'), { name: 'ProvisionedThroughputExceededException' }),
    ],
    ['SDK throttling', Object.assign(new Error('x'), { name: 'ThrottlingException' })],
    ['a transaction conflict', Object.assign(new Error('x'), { name: 'TransactionConflictException' })],
    ['a server fault', Object.assign(new Error('x'), { name: 'Whatever', $fault: 'server' })],
    ['a retryable error', Object.assign(new Error('x'), { name: 'Whatever', $retryable: { throttling: true } })],
    ['a connection reset', Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })],
  ])('answers %s with 503 and Retry-After', async (_what, error) => {
    const { response, body } = await run(error);
    expect(response.statusCode).toBe(503);
    expect(response.headers).toMatchObject({ 'Content-Type': PROBLEM_CONTENT_TYPE, 'Retry-After': '2' });
    expect(body).toMatchObject({ status: 503, correlationId: 'corr-test-0001' });
    expect(body.detail).toContain('same Idempotency-Key');
  });

  it('a client error that is not transient stays a 500', async () => {
    const { response } = await run(Object.assign(new Error('x'), { name: 'ValidationException', $fault: 'client' }));
    expect(response.statusCode).toBe(500);
  });

  it('still answers when no state was started', async () => {
    const { response, body } = await run(new Error('early'), false);
    expect(response.statusCode).toBe(500);
    expect(body.correlationId).toBeUndefined();
  });

  it('keeps only V8 frames of a stack, never the message lines', () => {
    const error = new Error(`line one ${SECRET}\n  at not a frame ${SECRET}`);
    const frames = stackFrames(error);
    expect(frames.length).toBeGreaterThan(0);
    expect(frames.every((f) => /^at .*:\d+:\d+\)?$/.test(f))).toBe(true);
    expect(frames.join('\n')).not.toContain('943');
  });

  describe('domain errors from the data layer', () => {
    // Each pair: what a repository throws now, and the HttpProblem it threw before #18 — the
    // answer a client sees must be byte-for-byte the same.
    it.each([
      [
        'a create that lost the race',
        new AlreadyExists('created meanwhile'),
        new HttpProblem('conflict', 'created meanwhile'),
      ],
      [
        'a stale version',
        new StaleVersion('changed since read'),
        new HttpProblem('precondition-failed', 'changed since read'),
      ],
      [
        'an unfinished read',
        new ReadIncomplete('Could not read every referral; try again.'),
        new HttpProblem('unavailable', 'Could not read every referral; try again.', {
          headers: { 'Retry-After': '1' },
        }),
      ],
      [
        'a coded rule',
        new StaleVersion('stale', 'entry.stale'),
        new HttpProblem('precondition-failed', 'stale', { code: 'entry.stale' }),
      ],
    ])('maps %s to the same problem+json as before', async (_what, domainError, before) => {
      const now = await run(domainError);
      const then = await run(before);
      expect(now.response).toEqual(then.response);
      expect(now.response.statusCode).toBe(before.status);
      expect(now.body.type).toMatch(new RegExp(`/problems/${before.kind}$`));
    });

    it('maps the statuses 409, 412 and 503 with Retry-After', async () => {
      expect((await run(new AlreadyExists('x'))).response.statusCode).toBe(409);
      expect((await run(new StaleVersion('x'))).response.statusCode).toBe(412);
      const unfinished = await run(new ReadIncomplete('x', 3));
      expect(unfinished.response.statusCode).toBe(503);
      expect(unfinished.response.headers).toMatchObject({ 'Retry-After': '3' });
    });

    it('an unknown domain error is still a 500 that logs no message', async () => {
      class Unmapped extends DomainError {
        override name = 'Unmapped';
      }
      const { response, state } = await run(new Unmapped(`about ${SECRET}`));
      expect(response.statusCode).toBe(500);
      expect(response.body).not.toContain('943');
      expect(state.log.error).toHaveBeenCalledWith(
        'unhandled error',
        expect.objectContaining({ errorName: 'Unmapped' }),
      );
    });
  });
});
