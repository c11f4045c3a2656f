import type { APIGatewayProxyEvent } from 'aws-lambda';
import type { AuditRecord } from '../schemas/audit.js';

/** What a handler returns; the stack serialises it. */
export interface HttpResult {
  readonly statusCode: number;
  readonly headers?: Record<string, string>;
  /** JSON-serialised unless a string with an explicit content type. */
  readonly body?: unknown;
  readonly contentType?: string;
  /** Resources this response disclosed; reads append one audit record each before responding. */
  readonly audit?: readonly AuditTarget[];
}

export type AuditTarget = Pick<AuditRecord, 'resourceType' | 'resourceId' | 'action'>;

/** API Gateway passes headers as the client sent them; HTTP header names are case-insensitive. */
export function header(event: Pick<APIGatewayProxyEvent, 'headers'>, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(event.headers ?? {}))
    if (key.toLowerCase() === wanted) return value ?? undefined;
  return undefined;
}
