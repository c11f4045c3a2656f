/**
 * The local stand-in for API Gateway (REST): routes from the one route table, verifies tokens
 * as the Cognito authorizer would (signature, issuer, expiry, the method's scope → 401), turns
 * each request into the v1 proxy event the handler gets in AWS, and answers gateway-made errors
 * with the same problem+json gateway responses CDK configures.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { accessScopeOf } from '../../functions/access.js';
import type { RouteDef } from '../../functions/routes.js';
import { runWithAccess } from '../../shared/data/access-guard.js';
import {
  GATEWAY_CONTENT_TYPE,
  gatewayResponse,
  gatewayResponseBody,
  type GatewayResponseType,
} from '../../functions/gateway-responses.js';
import type { ConsoleSite } from './console-site.js';
import type { LocalIdentity } from './identity.js';
import { localLambdaContext } from './lambda-context.js';

export type ProxyHandler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

export interface HttpAdapterOptions {
  readonly routes: readonly RouteDef[];
  readonly identity: LocalIdentity;
  /** Project root: route handler paths are relative to it. */
  readonly root: string;
  readonly stage?: string;
  /** API Gateway's own payload limit is 10 MB; handlers enforce their 64 KB. */
  readonly maxPayloadBytes?: number;
  /** Tests may load handlers their own way. */
  readonly loadHandler?: (route: RouteDef) => Promise<ProxyHandler>;
  readonly onError?: (error: unknown, route: RouteDef | undefined) => void;
  /**
   * Per-client throttling from each route's `throttle` (in AWS: the usage plan's per-key
   * limits): a token bucket per client and route. Off unless asked for, so tests that drive
   * thousands of requests as one client measure the handlers, not the limiter.
   */
  readonly throttle?: boolean;
  readonly now?: () => number;
  /** The operator console under `/console` (the local stack serves it; tests may leave it out). */
  readonly console?: ConsoleSite;
}

/** A token bucket: `rate` tokens a second, at most `burst` saved up. */
export class TokenBucket {
  private tokens: number;
  private last: number;
  constructor(
    private readonly rate: number,
    private readonly burst: number,
    now: number,
  ) {
    this.tokens = burst;
    this.last = now;
  }
  /** Takes a token, or says how many seconds until one is there. */
  take(now: number): { ok: true } | { ok: false; retryAfterSeconds: number } {
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.rate);
    this.last = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return { ok: true };
    }
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - this.tokens) / this.rate)) };
  }
}

export interface HttpAdapter {
  readonly server: Server;
  listen(port: number, host?: string): Promise<string>;
  close(): Promise<void>;
}

interface CompiledRoute {
  readonly route: RouteDef;
  readonly pattern: RegExp;
  readonly params: readonly string[];
}

const compile = (route: RouteDef): CompiledRoute => {
  const params: string[] = [];
  const source = route.path
    .split('/')
    .map((segment) => {
      const m = /^\{(\w+)\+?\}$/.exec(segment);
      if (!m) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      params.push(m[1]!);
      return '([^/]+)';
    })
    .join('/');
  return { route, pattern: new RegExp(`^${source}$`), params };
};

const defaultLoader =
  (root: string) =>
  async (route: RouteDef): Promise<ProxyHandler> => {
    const mod = (await import(pathToFileURL(resolve(root, route.handler)).href)) as { handler?: ProxyHandler };
    if (typeof mod.handler !== 'function') throw new Error(`${route.handler} exports no handler`);
    return mod.handler;
  };

const readBody = (req: IncomingMessage, limit: number): Promise<Buffer | 'too-large'> =>
  new Promise((resolveBody, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('end', () => resolveBody(tooLarge ? 'too-large' : Buffer.concat(chunks)));
    req.on('error', reject);
  });

function headerMaps(req: IncomingMessage) {
  const headers: Record<string, string> = {};
  const multiValueHeaders: Record<string, string[]> = {};
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    const name = req.rawHeaders[i]!;
    const value = req.rawHeaders[i + 1]!;
    headers[name] = value;
    multiValueHeaders[name] = [...(multiValueHeaders[name] ?? []), value];
  }
  return { headers, multiValueHeaders };
}

function queryMaps(url: URL) {
  const single: Record<string, string> = {};
  const multi: Record<string, string[]> = {};
  for (const [k, v] of url.searchParams) {
    single[k] = v;
    multi[k] = [...(multi[k] ?? []), v];
  }
  return Object.keys(single).length ? { single, multi } : { single: null, multi: null };
}

const lambdaContext = (route: RouteDef, requestId: string, timeoutMs = 10_000): Context =>
  localLambdaContext(route.id, { requestId, timeoutMs, logStreamName: 'local' });

export function createHttpAdapter(options: HttpAdapterOptions): HttpAdapter {
  const stage = options.stage ?? 'local';
  const compiled = options.routes.map(compile);
  const load = options.loadHandler ?? defaultLoader(options.root);
  const handlers = new Map<string, Promise<ProxyHandler>>();
  const maxPayload = options.maxPayloadBytes ?? 10 * 1024 * 1024;

  const send = (
    res: ServerResponse,
    status: number,
    headers: Record<string, string | string[]>,
    body: string | Buffer,
  ) => {
    res.writeHead(status, headers);
    res.end(body);
  };

  // The adapter has no stage in its URLs: problem types point at its own host.
  const localBase = (res: ServerResponse): string => {
    const host = res.req?.headers.host;
    return host && /^[A-Za-z0-9.:[\]-]+$/.test(host) ? `http://${host}` : '';
  };
  const gateway = (
    res: ServerResponse,
    type: GatewayResponseType,
    requestId: string,
    status?: number,
    headers: Record<string, string> = {},
  ) => {
    const def = gatewayResponse(type);
    const code = status ?? def.status ?? 500;
    send(
      res,
      code,
      { 'Content-Type': GATEWAY_CONTENT_TYPE, 'X-Correlation-ID': requestId, ...(def.headers ?? {}), ...headers },
      JSON.stringify(gatewayResponseBody(def, requestId, code, localBase(res))),
    );
  };
  const clock = options.now ?? Date.now;
  const buckets = new Map<string, TokenBucket>();
  const throttled = (route: RouteDef, caller: string): { retryAfterSeconds: number } | undefined => {
    if (!options.throttle) return undefined;
    const key = `${caller}|${route.id}`;
    let bucket = buckets.get(key);
    if (!bucket) {
      bucket = new TokenBucket(route.throttle.rateLimit, route.throttle.burstLimit, clock());
      buckets.set(key, bucket);
    }
    const verdict = bucket.take(clock());
    return verdict.ok ? undefined : verdict;
  };

  const localIdentityEndpoints = async (
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    body: Buffer,
  ): Promise<boolean> => {
    // Cognito serves these from its own domain in AWS; locally the adapter does.
    if (url.pathname === '/oauth2/token' && req.method === 'POST') {
      const headers = Object.fromEntries(
        Object.entries(req.headers).map(([k, v]) => [k.toLowerCase(), Array.isArray(v) ? v.join(',') : v]),
      );
      const out = await options.identity.handleTokenRequest({ headers, body: body.toString('utf8') });
      send(res, out.status, out.headers, out.body);
      return true;
    }
    if (url.pathname === '/.well-known/jwks.json' && req.method === 'GET') {
      send(
        res,
        200,
        { 'Content-Type': 'application/json', 'Cache-Control': 'max-age=300' },
        JSON.stringify(options.identity.jwks()),
      );
      return true;
    }
    return false;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const requestId = randomUUID();
    const url = new URL(req.url ?? '/', 'http://localhost');
    const body = await readBody(req, maxPayload);
    if (body === 'too-large') return gateway(res, 'REQUEST_TOO_LARGE', requestId);
    if (await localIdentityEndpoints(req, res, url, body)) return;
    const page = options.console?.respond(req.method ?? 'GET', url.pathname);
    if (page) return send(res, page.status, page.headers, page.body);

    let match: { compiled: CompiledRoute; values: string[] } | undefined;
    for (const c of compiled) {
      if (c.route.method !== req.method) continue;
      const m = c.pattern.exec(url.pathname);
      if (m) {
        match = { compiled: c, values: m.slice(1) };
        break;
      }
    }
    // API Gateway answers an unknown resource or method with MISSING_AUTHENTICATION_TOKEN.
    if (!match) return gateway(res, 'MISSING_AUTHENTICATION_TOKEN', requestId);
    const { route } = match.compiled;

    let claims: Record<string, string> | undefined;
    if (route.auth !== 'public') {
      const verdict = await options.identity.verify(req.headers.authorization, route.auth.scopes);
      if (!verdict.ok) return gateway(res, 'UNAUTHORIZED', requestId);
      claims = verdict.claims;
    }
    // Per client (the token's client) on authorised routes; per source address on public ones.
    const limited = throttled(route, claims?.client_id ?? `ip:${req.socket.remoteAddress ?? '?'}`);
    if (limited)
      return gateway(res, 'THROTTLED', requestId, undefined, { 'Retry-After': String(limited.retryAfterSeconds) });

    let pathParameters: Record<string, string> | null = null;
    try {
      if (match.compiled.params.length) {
        pathParameters = Object.fromEntries(
          match.compiled.params.map((name, i) => [name, decodeURIComponent(match.values[i]!)]),
        );
      }
    } catch {
      return gateway(res, 'MISSING_AUTHENTICATION_TOKEN', requestId);
    }

    const { headers, multiValueHeaders } = headerMaps(req);
    const query = queryMaps(url);
    const now = Date.now();
    const event: APIGatewayProxyEvent = {
      resource: route.path,
      path: url.pathname,
      httpMethod: route.method,
      headers,
      multiValueHeaders,
      queryStringParameters: query.single,
      multiValueQueryStringParameters: query.multi,
      pathParameters,
      stageVariables: null,
      body: body.length ? body.toString('utf8') : null,
      isBase64Encoded: false,
      requestContext: {
        accountId: '000000000000',
        apiId: 'local',
        ...(claims ? { authorizer: { claims } } : { authorizer: undefined }),
        domainName: req.headers.host ?? 'localhost',
        domainPrefix: 'localhost',
        extendedRequestId: requestId,
        httpMethod: route.method,
        identity: {
          accessKey: null,
          accountId: null,
          apiKey: null,
          apiKeyId: null,
          caller: null,
          clientCert: null,
          cognitoAuthenticationProvider: null,
          cognitoAuthenticationType: null,
          cognitoIdentityId: null,
          cognitoIdentityPoolId: null,
          principalOrgId: null,
          sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
          user: null,
          userAgent: req.headers['user-agent'] ?? null,
          userArn: null,
        },
        path: `/${stage}${url.pathname}`,
        protocol: `HTTP/${req.httpVersion}`,
        requestId,
        requestTime: new Date(now).toUTCString(),
        requestTimeEpoch: now,
        resourceId: route.id,
        resourcePath: route.path,
        stage,
      },
    };

    let result: APIGatewayProxyResult;
    try {
      let handler = handlers.get(route.id);
      if (!handler) {
        handler = load(route);
        handlers.set(route.id, handler);
        handler.catch(() => handlers.delete(route.id));
      }
      const run = await handler;
      // As the function's IAM role would: only the data access the route declares (functions/access.ts).
      result = await runWithAccess(accessScopeOf('route', route.id, { resolvesCaller: route.auth !== 'public' }), () =>
        run(event, lambdaContext(route, requestId)),
      );
      if (!result || typeof result.statusCode !== 'number') throw new Error('Handler returned no proxy result');
    } catch (error) {
      options.onError?.(error, route);
      // A Lambda that throws or returns garbage is a 502 from API Gateway.
      return gateway(res, 'INTEGRATION_FAILURE', requestId);
    }
    const outHeaders: Record<string, string | string[]> = {};
    for (const [k, v] of Object.entries(result.headers ?? {})) outHeaders[k] = String(v);
    for (const [k, v] of Object.entries(result.multiValueHeaders ?? {})) outHeaders[k] = v.map(String);
    send(res, result.statusCode, outHeaders, result.isBase64Encoded ? Buffer.from(result.body, 'base64') : result.body);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error) => {
      options.onError?.(error, undefined);
      if (!res.headersSent) gateway(res, 'DEFAULT_5XX', randomUUID());
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 5_000;

  return {
    server,
    listen: (port, host = '127.0.0.1') =>
      new Promise((resolveListen, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          const address = server.address() as AddressInfo;
          resolveListen(`http://${host}:${address.port}`);
        });
      }),
    close: () =>
      new Promise((resolveClose) => {
        server.closeAllConnections();
        server.close(() => resolveClose());
      }),
  };
}
