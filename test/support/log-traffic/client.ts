/**
 * How the log scan's traffic is sent: every request with its own correlation id (so the capture
 * can be tied to the traffic), and every answer's status kept in `sent`.
 */
import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import type { TestApi } from '../api.js';

export type LogScanTokens = Record<
  'policeA' | 'policeB' | 'ae' | 'lead' | 'sam' | 'bedsP' | 'bea' | 'auditor' | 'dashboard' | 'pipeline',
  string
>;

export interface Answer {
  status: number;
  etag?: string | undefined;
  body: any;
}

export interface SendInit {
  method?: string;
  json?: unknown;
  body?: string;
  headers?: Record<string, string>;
}

export interface TrafficClient {
  readonly api: TestApi;
  readonly t: LogScanTokens;
  /** Every request sent, in order, with the status it was answered with. */
  readonly sent: { correlationId: string; status: number }[];
  readonly send: (path: string, token: string | undefined, init?: SendInit) => Promise<Answer>;
  readonly create: (token: string | undefined, json: unknown, key?: string) => Promise<Answer>;
  readonly event: (token: string, id: string, json: unknown, etag?: string) => Promise<Answer>;
}

export async function logScanTokens(api: TestApi): Promise<LogScanTokens> {
  const t = {} as LogScanTokens;
  t.policeA = await api.clientToken('police-a-triage');
  t.policeB = await api.clientToken('police-b-hub');
  t.ae = await api.clientToken('ae-liaison-system');
  t.lead = await api.personToken('dana.lead');
  t.sam = await api.personToken('sam.amhp');
  t.bedsP = await api.clientToken('provider-p-beds');
  t.bea = await api.personToken('bea.beds');
  t.auditor = await api.personToken('ian.ig');
  t.dashboard = await api.clientToken('analytics-dashboard');
  t.pipeline = await api.clientToken('analytics-pipeline');
  return t;
}

export function trafficClient(api: TestApi, t: LogScanTokens): TrafficClient {
  let seq = 0;
  const sent: { correlationId: string; status: number }[] = [];
  /** One request with its own correlation id (so the capture can be tied to the traffic). */
  async function send(path: string, token: string | undefined, init: SendInit = {}): Promise<Answer> {
    const correlationId = `logscan-${String(++seq).padStart(4, '0')}`;
    const res = await api.fetch(path, {
      ...(token ? { token } : {}),
      ...(init.method ? { method: init.method } : {}),
      ...(init.json !== undefined ? { json: init.json } : {}),
      ...(init.body !== undefined ? { body: init.body } : {}),
      headers: { 'X-Correlation-ID': correlationId, ...(init.headers ?? {}) },
    });
    const text = await res.text();
    sent.push({ correlationId, status: res.status });
    let body: any = text;
    try {
      body = JSON.parse(text);
    } catch {
      /* CSV or empty */
    }
    return { status: res.status, etag: res.headers.get('etag') ?? undefined, body };
  }
  const create = (token: string | undefined, json: unknown, key: string = randomUUID()) =>
    send('/v1/referrals', token, { method: 'POST', json, headers: { 'Idempotency-Key': key } });
  const event = (token: string, id: string, json: unknown, etag?: string) =>
    send(`/v1/referrals/${id}/events`, token, { method: 'POST', json, headers: etag ? { 'If-Match': etag } : {} });
  return { api, t, sent, send, create, event };
}

export const inHour = () => new Date(Date.now() + 3_600_000).toISOString();

/** Expects `status` and returns the new ETag. */
export async function step(res: Promise<Answer>, status: number): Promise<string> {
  const r = await res;
  expect(r.status, JSON.stringify(r.body)).toBe(status);
  return r.etag ?? '';
}
