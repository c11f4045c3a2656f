/**
 * Strict JSON body parsing: size limit, content type, and a parse that refuses duplicate keys
 * (JSON.parse silently keeps the last one, so two systems could read one body two ways) and
 * `__proto__` / `constructor` keys (prototype pollution). Errors name the place, never the value.
 */
import { parse, type AnyNode } from '@humanwhocodes/momoa';
import { HttpProblem, pointerOf, type FieldProblem } from './problem.js';

export const MAX_BODY_BYTES = 64 * 1024;
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

const isJsonContentType = (value: string | undefined): boolean => {
  if (!value) return false;
  const [type, ...params] = value.split(';').map((p) => p.trim().toLowerCase());
  if (type !== 'application/json') return false;
  const charset = params.find((p) => p.startsWith('charset='));
  return !charset || charset === 'charset=utf-8';
};

function build(node: AnyNode, path: (string | number)[], problems: FieldProblem[]): unknown {
  switch (node.type) {
    case 'Object': {
      const out: Record<string, unknown> = {};
      const seen = new Set<string>();
      for (const member of node.members) {
        const key = member.name.type === 'String' ? member.name.value : member.name.name;
        const at = [...path, key];
        if (FORBIDDEN_KEYS.has(key)) {
          problems.push({ pointer: pointerOf(at), message: 'this key name is not allowed' });
          continue;
        }
        if (seen.has(key)) {
          problems.push({ pointer: pointerOf(at), message: 'duplicate key' });
          continue;
        }
        seen.add(key);
        out[key] = build(member.value, at, problems);
      }
      return out;
    }
    case 'Array':
      return node.elements.map((element, i) => build(element.value, [...path, i], problems));
    case 'String':
    case 'Number':
    case 'Boolean':
      return node.value;
    case 'Null':
      return null;
    default:
      problems.push({ pointer: pointerOf(path), message: 'not a JSON value' });
      return undefined;
  }
}

/** Parses a request body or throws the right problem (413, 415, 400). */
export function parseJsonBody(
  body: string | null | undefined,
  isBase64Encoded: boolean,
  contentType: string | undefined,
): unknown {
  const raw = body == null ? '' : isBase64Encoded ? Buffer.from(body, 'base64').toString('utf8') : body;
  if (Buffer.byteLength(raw, 'utf8') > MAX_BODY_BYTES) {
    throw new HttpProblem('payload-too-large', `The request body must not exceed ${MAX_BODY_BYTES} bytes.`);
  }
  if (!isJsonContentType(contentType)) {
    throw new HttpProblem('unsupported-media-type', 'Send the body as application/json (UTF-8).');
  }
  if (raw.trim() === '') {
    throw new HttpProblem('validation', 'A JSON request body is required.', {
      errors: [{ pointer: '', message: 'required' }],
    });
  }
  let document: ReturnType<typeof parse>;
  try {
    document = parse(raw, { mode: 'json' });
  } catch (error) {
    const loc = (error as { line?: number; column?: number }).line;
    const where = loc ? ` (line ${loc}, column ${(error as { column?: number }).column})` : '';
    throw new HttpProblem('validation', `The request body is not valid JSON${where}.`, {
      errors: [{ pointer: '', message: 'malformed JSON' }],
    });
  }
  const problems: FieldProblem[] = [];
  const value = build(document.body, [], problems);
  if (problems.length)
    throw new HttpProblem('validation', 'The request body has keys that are not accepted.', { errors: problems });
  return value;
}
