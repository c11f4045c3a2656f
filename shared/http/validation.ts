/** zod issues to problem+json field errors with JSON Pointers; never echoes the input. */
import type * as z from 'zod';
import { HttpProblem, pointerOf, type FieldProblem } from './problem.js';

export type RequestPart = 'body' | 'query' | 'params' | 'headers';

const prefix: Record<RequestPart, (string | number)[]> = {
  body: [],
  query: ['query'],
  params: ['params'],
  headers: ['headers'],
};

/** Body pointers are plain (`/person/nhsNumber`); other parts are prefixed (`/query/limit`). */
export function issuesToProblems(part: RequestPart, issues: readonly z.core.$ZodIssue[]): FieldProblem[] {
  return issues.map((issue) => ({
    pointer: pointerOf([
      ...prefix[part],
      ...issue.path.map((p) => (typeof p === 'symbol' ? String(p.description) : p)),
    ]),
    message: safeMessage(issue),
  }));
}

/** zod's default messages can quote received values (e.g. an invalid enum option); keep ours generic. */
function safeMessage(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined ? 'required' : `expected ${issue.expected}`;
    case 'invalid_value':
      return `expected one of: ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'unrecognized_keys':
      return `unknown key(s): ${issue.keys.join(', ')}`;
    case 'too_big':
      return (
        `too big: at most ${String(issue.maximum)}` +
        `${issue.origin === 'string' ? ' characters' : issue.origin === 'array' ? ' items' : ''}`
      );
    case 'too_small':
      return (
        `too small: at least ${String(issue.minimum)}` +
        `${issue.origin === 'string' ? ' characters' : issue.origin === 'array' ? ' items' : ''}`
      );
    default:
      // Custom messages are ours (refinements, formats); zod's own for these codes carry no input.
      return issue.message;
  }
}

/**
 * Route schemas are typed as zod core schemas, so classic and zod/mini ones both fit. Both kinds
 * carry a `safeParse` method; calling it (rather than importing core's `safeParse`) keeps zod's
 * code out of handlers that validate nothing, such as the documentation handlers.
 */
export function safeParseAny<T extends z.core.$ZodType>(
  schema: T,
  value: unknown,
): z.core.util.SafeParseResult<z.output<T>> {
  return (schema as unknown as { safeParse(v: unknown): z.core.util.SafeParseResult<z.output<T>> }).safeParse(value);
}

export function parseOrThrow<T extends z.core.$ZodType>(schema: T, part: RequestPart, value: unknown): z.output<T> {
  const result = safeParseAny(schema, value);
  if (result.success) return result.data;
  const errors = issuesToProblems(part, result.error.issues);
  // unrecognized_keys is reported at the parent: point at each key so a client can find it.
  const expanded = errors.flatMap((e, i) => {
    const issue = result.error.issues[i]!;
    return issue.code === 'unrecognized_keys'
      ? issue.keys.map((k) => ({
          pointer: `${e.pointer}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`,
          message: 'unknown key',
        }))
      : [e];
  });
  throw new HttpProblem('validation', `The request ${part === 'body' ? 'body' : part} is invalid.`, {
    errors: expanded,
  });
}
