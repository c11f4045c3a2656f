/** Calls to the Hub API with the signed-in person's token; problems (RFC 9457) become ApiError. */
import { freshSession } from './auth.js';

export interface Problem {
  readonly status: number;
  readonly title: string;
  readonly detail?: string;
  readonly errors?: readonly { pointer?: string; message: string }[];
}

export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(readonly problem: Problem) {
    super(problem.detail ?? problem.title);
  }
  get status(): number {
    return this.problem.status;
  }
}

/** Raised when the session has ended: the app shows the sign-in form again. */
export class SessionEnded extends Error {
  override readonly name = 'SessionEnded';
}

export interface ApiResponse<T> {
  readonly body: T;
  readonly etag: string | null;
}

/** The people client's API key from config.json (AWS only; the local stack needs none). */
let apiKey: string | undefined;
export const useApiKey = (key: string | undefined): void => {
  apiKey = key;
};

export async function api<T>(
  path: string,
  init: { method?: string; json?: unknown; headers?: Record<string, string> } = {},
): Promise<ApiResponse<T>> {
  const session = await freshSession();
  if (!session) throw new SessionEnded();
  const headers: Record<string, string> = {
    Authorization: `Bearer ${session.accessToken}`,
    Accept: 'application/json',
    ...init.headers,
  };
  if (init.json !== undefined) headers['Content-Type'] = 'application/json';
  if (apiKey) headers['x-api-key'] = apiKey;
  const res = await fetch(path, {
    method: init.method ?? 'GET',
    headers,
    ...(init.json !== undefined ? { body: JSON.stringify(init.json) } : {}),
  });
  if (res.status === 401) throw new SessionEnded();
  const text = await res.text();
  const body = text ? (JSON.parse(text) as unknown) : undefined;
  if (!res.ok) {
    const p = (body ?? {}) as Partial<Problem>;
    throw new ApiError({
      status: res.status,
      title: p.title ?? res.statusText,
      ...(p.detail ? { detail: p.detail } : {}),
      ...(p.errors ? { errors: p.errors } : {}),
    });
  }
  return { body: body as T, etag: res.headers.get('ETag') };
}

/** A message for a person: the problem's own words, with the field of each problem. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) {
    const fields = (error.problem.errors ?? []).map((e) => (e.pointer ? `${e.pointer}: ${e.message}` : e.message));
    return [error.problem.detail ?? error.problem.title, ...fields].join(' ');
  }
  return 'Something went wrong reaching the Hub. Check your connection and try again.';
}

/** A text document of the API (a letter, as HTML), with the same token; problems as ApiError. */
export async function apiText(path: string): Promise<string> {
  const session = await freshSession();
  if (!session) throw new SessionEnded();
  const res = await fetch(path, {
    headers: {
      Authorization: `Bearer ${session.accessToken}`,
      Accept: 'text/html',
      ...(apiKey ? { 'x-api-key': apiKey } : {}),
    },
  });
  if (res.status === 401) throw new SessionEnded();
  if (!res.ok) {
    const p = (await res.json().catch(() => ({}))) as Partial<Problem>;
    throw new ApiError({
      status: res.status,
      title: p.title ?? res.statusText,
      ...(p.detail ? { detail: p.detail } : {}),
    });
  }
  return res.text();
}
