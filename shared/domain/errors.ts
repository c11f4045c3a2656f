/**
 * What the data layer can refuse, in the domain's words: a write that lost a race (the record
 * was created meanwhile, or changed since the caller read it) and a read that could not be
 * finished. Repositories throw these; only the error middleware (shared/http/middleware/errors.ts)
 * knows which HTTP answer each one becomes, so storage never speaks HTTP (#18).
 */
export abstract class DomainError extends Error {
  /** Optional stable rule code, carried to the problem's `code`. */
  readonly code: string | undefined;
  constructor(detail: string, code?: string) {
    super(detail);
    this.code = code;
  }
}

/** A create found the record already there: someone created it meanwhile. */
export class AlreadyExists extends DomainError {
  override name = 'AlreadyExists';
}

/** A replace found a version other than the one the caller read. */
export class StaleVersion extends DomainError {
  override name = 'StaleVersion';
}

/** A read stopped short (e.g. keys left unprocessed after retries); retrying may finish it. */
export class ReadIncomplete extends DomainError {
  override name = 'ReadIncomplete';
  /** Seconds the caller should wait before trying again. */
  readonly retryAfterSeconds: number;
  constructor(detail: string, retryAfterSeconds = 1) {
    super(detail);
    this.retryAfterSeconds = retryAfterSeconds;
  }
}
