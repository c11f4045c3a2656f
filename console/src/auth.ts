/**
 * Sign-in. The access token lives in this module's memory only: never localStorage or
 * sessionStorage, so it leaves with the tab and no other script on the origin can read it back
 * later. A reload therefore signs the person out (in AWS, Cognito's own session makes signing
 * back in one click).
 *
 * Locally: the local token endpoint's password grant (the local stack only). In AWS: Cognito's
 * hosted UI, authorization code with PKCE. The PKCE verifier and state must survive the
 * redirect, so they alone wait in sessionStorage, and are removed as soon as the code returns.
 */
import type { ConsoleConfig } from '../build.js';

export interface Session {
  readonly accessToken: string;
  readonly expiresAt: number;
}

let session: Session | undefined;
/**
 * Cognito's refresh token (12 h, one shift), also in memory only: it renews the one-hour access
 * token so a person is not signed out, mid-sentence, every hour. The local token endpoint
 * issues none, so a local session lasts one access token.
 */
let renewal: { tokenUrl: string; clientId: string; refreshToken: string } | undefined;

export const currentSession = (): Session | undefined =>
  session && session.expiresAt > Date.now() ? session : undefined;
export const forgetSession = (): void => {
  session = undefined;
  renewal = undefined;
};

/** A session that is still valid, renewed with the refresh token when the access token ran out. */
export async function freshSession(): Promise<Session | undefined> {
  const valid = currentSession();
  if (valid || !renewal) return valid;
  const { tokenUrl, clientId, refreshToken } = renewal;
  try {
    return await tokenRequest(
      tokenUrl,
      form({ grant_type: 'refresh_token', client_id: clientId, refresh_token: refreshToken }),
      clientId,
    );
  } catch {
    forgetSession();
    return undefined;
  }
}

export class SignInError extends Error {
  override readonly name = 'SignInError';
}

const form = (values: Record<string, string>) => new URLSearchParams(values).toString();

async function tokenRequest(url: string, body: string, clientId: string): Promise<Session> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body,
  });
  const json = (await res.json().catch(() => ({}))) as {
    access_token?: string;
    refresh_token?: string;
    expires_in?: number;
    error?: string;
  };
  if (!res.ok || !json.access_token) {
    throw new SignInError(
      json.error === 'invalid_grant'
        ? 'Wrong username or password.'
        : 'Sign-in failed. Try again, or ask your administrator.',
    );
  }
  session = { accessToken: json.access_token, expiresAt: Date.now() + (json.expires_in ?? 3600) * 1000 - 30_000 };
  // A refresh answer carries no new refresh token: the one from sign-in stays.
  const refreshToken = json.refresh_token ?? renewal?.refreshToken;
  renewal = refreshToken ? { tokenUrl: url, clientId, refreshToken } : undefined;
  return session;
}

export function signInWithPassword(
  config: Extract<ConsoleConfig, { mode: 'local' }>,
  username: string,
  password: string,
): Promise<Session> {
  return tokenRequest(
    config.tokenUrl,
    form({ grant_type: 'password', client_id: config.clientId, username, password }),
    config.clientId,
  );
}

const PKCE_KEY = 'amhp-console-pkce';

const base64url = (bytes: Uint8Array) =>
  btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
const randomString = (n: number) => base64url(crypto.getRandomValues(new Uint8Array(n)));

export async function redirectToHostedUi(config: Extract<ConsoleConfig, { mode: 'cognito' }>): Promise<void> {
  const verifier = randomString(48);
  const state = randomString(16);
  const challenge = base64url(
    new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))),
  );
  sessionStorage.setItem(PKCE_KEY, JSON.stringify({ verifier, state }));
  const url = new URL(config.authorizeUrl);
  url.search = form({
    response_type: 'code',
    client_id: config.clientId,
    redirect_uri: config.redirectUri,
    scope: config.scopes.join(' '),
    state,
    code_challenge: challenge,
    code_challenge_method: 'S256',
  });
  location.assign(url.toString());
}

/** Completes the hosted UI's redirect when the page was opened with `?code=…&state=…`. */
export async function completeHostedUiRedirect(
  config: Extract<ConsoleConfig, { mode: 'cognito' }>,
): Promise<Session | undefined> {
  const params = new URLSearchParams(location.search);
  const code = params.get('code');
  if (!code && !params.get('error')) return undefined;
  const saved = sessionStorage.getItem(PKCE_KEY);
  sessionStorage.removeItem(PKCE_KEY);
  // The code must not stay in the address bar or the history.
  history.replaceState(null, '', location.pathname + location.hash);
  if (!code) throw new SignInError('Sign-in was cancelled or refused.');
  const { verifier, state } = saved
    ? (JSON.parse(saved) as { verifier: string; state: string })
    : { verifier: '', state: '' };
  if (!verifier || state !== params.get('state'))
    throw new SignInError('That sign-in link is not from this browser tab: sign in again.');
  return tokenRequest(
    config.tokenUrl,
    form({
      grant_type: 'authorization_code',
      client_id: config.clientId,
      code,
      redirect_uri: config.redirectUri,
      code_verifier: verifier,
    }),
    config.clientId,
  );
}

export function signOut(config: ConsoleConfig): void {
  forgetSession();
  if (config.mode === 'cognito') {
    const url = new URL(config.logoutUrl);
    url.search = form({ client_id: config.clientId, logout_uri: config.redirectUri });
    location.assign(url.toString());
  }
}
