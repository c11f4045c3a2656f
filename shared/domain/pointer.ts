/**
 * Where a problem is in a request: a JSON Pointer (RFC 6901) and what is wrong there. The
 * domain names fields this way without knowing HTTP; the HTTP layer sends them as they are.
 */
export interface RuleProblem {
  readonly pointer: string;
  readonly message: string;
}

/** `['person', 'nhsNumber']` → `/person/nhsNumber` (with `~` and `/` escaped). */
export const pointerOf = (path: readonly PropertyKey[]): string =>
  path.map((segment) => `/${String(segment).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
