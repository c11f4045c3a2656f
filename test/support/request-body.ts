/** The webhook receivers' shared step: a request's whole body, as UTF-8 text, once it has all arrived. */
import type { IncomingMessage } from 'node:http';

export function onRequestBody(req: IncomingMessage, done: (body: string) => void): void {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => done(Buffer.concat(chunks).toString('utf8')));
}
