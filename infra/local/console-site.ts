/**
 * The operator console on the local stack: `/console/` serves the files `console/build.ts`
 * builds (in memory, once per start) and a `config.json` that signs people in with the local
 * password grant. CloudFront serves the same files in AWS (infra/constructs/console.ts).
 */
import { buildConsole, type ConsoleAsset, type ConsoleConfig } from '../../console/build.js';

export const CONSOLE_PATH = '/console';

export interface ConsoleResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: Buffer | string;
}

/** Answers requests under `/console`; anything else is not the console's. */
export interface ConsoleSite {
  respond(method: string, pathname: string): ConsoleResponse | undefined;
}

/**
 * The same headers CloudFront's response headers policy adds in AWS. Locally the token
 * endpoint is on this origin, so `connect-src 'self'` covers sign-in too.
 */
export const CONSOLE_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
    "frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
};

/** Sign-in on the local stack: the password grant of its own token endpoint, same origin. */
export const localConsoleConfig = (peopleClientId: string): ConsoleConfig => ({
  mode: 'local',
  tokenUrl: '/oauth2/token',
  clientId: peopleClientId,
});

export async function createConsoleSite(config: ConsoleConfig): Promise<ConsoleSite> {
  const assets = new Map<string, ConsoleAsset>(await buildConsole());
  assets.set('config.json', { body: Buffer.from(JSON.stringify(config)), contentType: 'application/json' });
  return {
    respond(method, pathname): ConsoleResponse | undefined {
      if (pathname !== CONSOLE_PATH && !pathname.startsWith(`${CONSOLE_PATH}/`)) return undefined;
      if (method !== 'GET' && method !== 'HEAD') {
        return {
          status: 405,
          headers: { Allow: 'GET, HEAD', 'Content-Type': 'text/plain' },
          body: 'Method not allowed',
        };
      }
      // Relative asset URLs in the page resolve against /console/, not /.
      if (pathname === CONSOLE_PATH) return { status: 301, headers: { Location: `${CONSOLE_PATH}/` }, body: '' };
      const name = pathname.slice(CONSOLE_PATH.length + 1) || 'index.html';
      const asset = assets.get(name);
      if (!asset)
        return {
          status: 404,
          headers: { 'Content-Type': 'text/plain', ...CONSOLE_SECURITY_HEADERS },
          body: 'Not found',
        };
      return {
        status: 200,
        headers: { 'Content-Type': asset.contentType, 'Cache-Control': 'no-cache', ...CONSOLE_SECURITY_HEADERS },
        body: method === 'HEAD' ? '' : asset.body,
      };
    },
  };
}
