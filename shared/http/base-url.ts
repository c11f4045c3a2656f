/**
 * The Hub's base URL as this request reached it, for links the Hub hands out (problem `type`
 * URIs): `https://<api-id>.execute-api.<region>.amazonaws.com/<stage>` on API Gateway's own
 * domain (the stage is in the path there), `https://<custom-domain>` on a custom domain (the
 * base path mapping hides the stage), `http://localhost:<port>` on the local stack.
 */
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { header } from './types.js';

const LOCAL_HOST = /^(localhost|127\.0\.0\.1|\[::1\])(:\d+)?$/;
const HOST = /^[A-Za-z0-9.-]+(:\d+)?$|^\[[0-9a-fA-F:]+\](:\d+)?$/;

export function hubBaseUrl(event: Pick<APIGatewayProxyEvent, 'headers' | 'requestContext'>): string {
  const host = event.requestContext?.domainName || header(event, 'Host');
  // A Host header is the client's to choose: only a plain host name is echoed into a URI.
  if (!host || !HOST.test(host)) return '';
  const scheme = LOCAL_HOST.test(host) ? 'http' : 'https';
  const stage = event.requestContext?.stage;
  const prefix = host.includes('.execute-api.') && stage && /^[A-Za-z0-9_-]+$/.test(stage) ? `/${stage}` : '';
  return `${scheme}://${host}${prefix}`;
}
