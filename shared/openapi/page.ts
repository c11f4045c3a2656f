/**
 * A self-contained, human-readable API reference rendered from the OpenAPI document. Pure: no
 * I/O, no external scripts, fonts or stylesheets (the page must work offline), and no script at
 * all: the page carries a CSP that forbids scripts. Every value taken from the document is
 * HTML-escaped.
 */
import type { JsonSchema, OpenApiDocument, OpenApiOperation, OpenApiParameter } from './document.js';

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;
type Method = (typeof METHODS)[number];

/** Escapes text for HTML element content and quoted attribute values. */
export const escapeHtml = (value: unknown): string =>
  String(value ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');

const json = (value: unknown): string => escapeHtml(JSON.stringify(value, null, 2));

/** An HTML id built only from safe characters (then escaped anyway). */
const anchor = (prefix: string, value: string): string => `${prefix}-${value.replace(/[^A-Za-z0-9_-]/g, '-')}`;

const joinUrl = (base: string, path: string): string => `${base.replace(/\/+$/, '')}${path}`;

/** The page's link to the JSON document (served.ts fills it into the prebuilt page the same way). */
export const openApiHrefOf = (servers: OpenApiDocument['servers'] | undefined): string =>
  joinUrl(servers?.[0]?.url ?? '', '/openapi.json');

interface Entry {
  path: string;
  method: Method;
  op: OpenApiOperation;
}

const scopesOf = (op: OpenApiOperation): string[] => [
  ...new Set(op.security.flatMap((req) => Object.values(req).flat())),
];

const accessText = (op: OpenApiOperation): string => {
  if (op.security.length === 0) return 'Public';
  const scopes = scopesOf(op);
  return scopes.length > 0 ? scopes.join(' or ') : 'Authenticated';
};

const schemaSummary = (schema: JsonSchema | undefined): string => {
  if (!schema) return '';
  if (typeof schema.$ref === 'string') return schema.$ref.split('/').pop() ?? '';
  const type = Array.isArray(schema.type)
    ? schema.type.join(' | ')
    : typeof schema.type === 'string'
      ? schema.type
      : 'any';
  const parts = [type];
  if (typeof schema.format === 'string') parts.push(`format ${schema.format}`);
  if (Array.isArray(schema.enum)) parts.push(`one of ${schema.enum.map((v) => JSON.stringify(v)).join(', ')}`);
  if (schema.default !== undefined) parts.push(`default ${JSON.stringify(schema.default)}`);
  for (const [keyword, label] of [
    ['minimum', 'min'],
    ['maximum', 'max'],
    ['minLength', 'min length'],
    ['maxLength', 'max length'],
  ] as const) {
    if (typeof schema[keyword] === 'number') parts.push(`${label} ${schema[keyword] as number}`);
  }
  if (typeof schema.pattern === 'string' && schema.pattern.length <= 80) parts.push(`pattern ${schema.pattern}`);
  return parts.join(', ');
};

const renderParameters = (parameters: readonly OpenApiParameter[]): string => {
  if (parameters.length === 0) return '<p>No parameters.</p>';
  const rows = parameters
    .map(
      (p) =>
        `<tr><th scope="row"><code>${escapeHtml(p.name)}</code></th><td>${escapeHtml(p.in)}</td>` +
        `<td>${p.required ? 'Yes' : 'No'}</td><td>${escapeHtml(schemaSummary(p.schema))}</td>` +
        `<td>${escapeHtml(p.description ?? '')}</td></tr>`,
    )
    .join('\n');
  return (
    '<table class="params"><caption class="visually-hidden">Parameters</caption>' +
    '<thead><tr><th scope="col">Name</th><th scope="col">In</th><th scope="col">Required</th>' +
    '<th scope="col">Schema</th><th scope="col">Description</th></tr></thead>' +
    `<tbody>\n${rows}\n</tbody></table>`
  );
};

const renderOperation = (entry: Entry): string => {
  const { op, path, method } = entry;
  const id = anchor('op', op.operationId);
  const headingId = `${id}-title`;
  const roles = op['x-roles'];
  const body = op.requestBody ? Object.entries(op.requestBody.content) : [];
  const responseEntries = Object.entries(op.responses);
  const parts: string[] = [];

  parts.push(`<article class="op" id="${escapeHtml(id)}" aria-labelledby="${escapeHtml(headingId)}">`);
  parts.push(
    `<h3 id="${escapeHtml(headingId)}"><span class="method m-${method}">${escapeHtml(method.toUpperCase())}</span> ` +
      `<code>${escapeHtml(path)}</code></h3>`,
  );
  parts.push(`<p>${escapeHtml(op.summary)}</p>`);
  if (op.description && op.description !== op.summary) parts.push(`<p>${escapeHtml(op.description)}</p>`);
  if (op.deprecated)
    parts.push(
      `<p><strong>Deprecated</strong>${op['x-sunset'] ? `: answers until ${escapeHtml(op['x-sunset'])}` : ''}.</p>`,
    );
  parts.push('<dl class="meta">');
  parts.push(`<dt>Operation ID</dt><dd><code>${escapeHtml(op.operationId)}</code></dd>`);
  parts.push(
    `<dt>Scopes</dt><dd>${
      op.security.length === 0
        ? 'None (public)'
        : scopesOf(op)
            .map((s) => `<code>${escapeHtml(s)}</code>`)
            .join(' or ')
    }</dd>`,
  );
  if (roles)
    parts.push(`<dt>Roles</dt><dd>${roles.map((r) => `<code>${escapeHtml(r)}</code>`).join(', ') || 'None'}</dd>`);
  if (op['x-caller'] && op['x-caller'] !== 'any')
    parts.push(`<dt>Caller</dt><dd>${escapeHtml(op['x-caller'])} only</dd>`);
  const throttle = op['x-throttle'];
  if (throttle)
    parts.push(
      `<dt>Rate limit</dt><dd>${escapeHtml(throttle.rateLimit)} requests/s, ` +
        `burst ${escapeHtml(throttle.burstLimit)}</dd>`,
    );
  parts.push('</dl>');

  parts.push('<h4>Parameters</h4>');
  parts.push(renderParameters(op.parameters));

  if (body.length > 0) {
    parts.push('<h4>Request body</h4>');
    for (const [type, media] of body) {
      parts.push(
        `<p>Content type <code>${escapeHtml(type)}</code>${op.requestBody?.required ? ' (required)' : ''}.</p>`,
      );
      if (media.example !== undefined) {
        parts.push(`<p>Example:</p><pre class="example"><code>${json(media.example)}</code></pre>`);
      }
      for (const example of Object.values(media.examples ?? {})) {
        parts.push(
          `<p>Example: ${escapeHtml(example.summary ?? '')}</p><pre ` +
            `class="example"><code>${json(example.value)}</code></pre>`,
        );
      }
    }
  }

  parts.push('<h4>Responses</h4>');
  parts.push(
    '<table class="responses"><caption class="visually-hidden">Responses</caption>' +
      ('<thead><tr><th scope="col">Status</th><th scope="col">Description</th><th scope="col">Content ' +
        'type</th><th scope="col">Headers</th></tr></thead><tbody>'),
  );
  for (const [status, response] of responseEntries) {
    parts.push(
      `<tr><th scope="row">${escapeHtml(status)}</th><td>${escapeHtml(response.description)}</td>` +
        `<td>${Object.keys(response.content ?? {})
          .map((t) => `<code>${escapeHtml(t)}</code>`)
          .join(', ')}</td>` +
        `<td>${Object.keys(response.headers ?? {})
          .map((h) => `<code>${escapeHtml(h)}</code>`)
          .join(', ')}</td></tr>`,
    );
  }
  parts.push('</tbody></table>');

  for (const [type, media] of body) {
    if (!media.schema) continue;
    parts.push(
      `<details><summary>Request schema ` +
        `(<code>${escapeHtml(type)}</code>)</summary><pre><code>${json(media.schema)}</code></pre></details>`,
    );
  }
  for (const [status, response] of responseEntries) {
    for (const [type, media] of Object.entries(response.content ?? {})) {
      // Problem responses all share the Problem schema, shown once at the end of the page.
      if (!media.schema || typeof media.schema.$ref === 'string') continue;
      parts.push(
        `<details><summary>Response ${escapeHtml(status)} schema (<code>${escapeHtml(type)}</code>)</summary>` +
          `<pre><code>${json(media.schema)}</code></pre></details>`,
      );
    }
  }
  parts.push('</article>');
  return parts.join('\n');
};

const STYLE =
  `
:root{color-scheme:light dark;--fg:#1b1b1b;--bg:#fff;--muted:#555;--line:#d0d0d0;--code:#f3f3f3;--link:#0b5cad}
@media (prefers-color-scheme:dark){:root{--fg:#e8e8e8;--bg:#151515;--muted:#aaa;--line:#444;--code:#222;--link:#8cc4ff}}
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
header,main,footer,nav{max-width:72rem;margin:0 auto;padding:0 1rem}
a{color:var(--link)}
a:focus,summary:focus{outline:3px solid #fd0;outline-offset:2px}
.skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:1rem;background:var(--bg);padding:.5rem}
.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1rem}
th,td{border:1px solid var(--line);padding:.3rem .5rem;text-align:left;vertical-align:top}
code,pre{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.9em}
pre{background:var(--code);padding:.75rem;overflow:auto;border-radius:4px}
.op{border-top:2px solid var(--line);padding-top:.5rem;margin-top:1.5rem}
.method{display:inline-block;min-width:4.5rem;text-align:center;border-radius:4px;padding:0 ` +
  `.4rem;color:#fff;background:#444;font-size:.9em}
.m-get{background:#1f6b3a}.m-post{background:#0b5cad}.m-put{background:#8a5300}` +
  `.m-patch{background:#6b3fa0}.m-delete{background:#a11}
dl.meta{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem}
dl.meta dt{font-weight:600}dl.meta dd{margin:0}
details{margin:.5rem 0}summary{cursor:pointer}
.desc{white-space:pre-wrap}
`;

/** Renders the reference page; `doc` is the result of `buildOpenApiDocument`. */
export function renderDocsPage(doc: OpenApiDocument): string {
  const entries: Entry[] = [];
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const method of METHODS) {
      const op = item?.[method];
      if (op) entries.push({ path, method, op });
    }
  }

  // Each operation is described once, under its first tag; tags keep the document's order.
  const tagOrder = [...(doc.tags ?? []).map((t) => t.name)];
  for (const e of entries)
    for (const t of e.op.tags.length > 0 ? e.op.tags : ['other']) if (!tagOrder.includes(t)) tagOrder.push(t);
  const byTag = new Map<string, Entry[]>(tagOrder.map((t) => [t, []]));
  for (const e of entries) byTag.get(e.op.tags[0] ?? 'other')!.push(e);
  const sections = [...byTag.entries()].filter(([, list]) => list.length > 0);

  const openApiHref = openApiHrefOf(doc.servers);
  const title = `${doc.info.title} ${doc.info.version}`;

  const summaryRows = sections
    .flatMap(([, list]) => list)
    .map(
      (e) =>
        `<tr><td><span class="method m-${e.method}">${escapeHtml(e.method.toUpperCase())}</span></td>` +
        `<td><a href="#${escapeHtml(anchor('op', e.op.operationId))}"><code>${escapeHtml(e.path)}</code></a></td>` +
        `<td>${escapeHtml(e.op.summary)}</td><td>${escapeHtml(accessText(e.op))}</td></tr>`,
    )
    .join('\n');

  const tagSections = sections
    .map(([tag, list], index) => {
      const id = `${anchor('tag', tag)}-${index}`;
      return (
        `<section aria-labelledby="${escapeHtml(id)}">\n<h2 id="${escapeHtml(id)}">${escapeHtml(tag)}</h2>\n` +
        list.map(renderOperation).join('\n') +
        '\n</section>'
      );
    })
    .join('\n');

  const flows = doc.components?.securitySchemes?.oauth2?.flows;
  const scopeRows = Object.entries(flows?.clientCredentials.scopes ?? {})
    .map(
      ([scope, description]) =>
        `<tr><th scope="row"><code>${escapeHtml(scope)}</code></th><td>${escapeHtml(description)}</td></tr>`,
    )
    .join('\n');
  const problem = doc.components?.schemas?.Problem;

  return (
    `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src ` +
    `'self' data:; base-uri 'none'; form-action 'none'">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<a class="skip" href="#main">Skip to the operations</a>
<header>
<h1>${escapeHtml(doc.info.title)} <small>${escapeHtml(doc.info.version)}</small></h1>
<p class="desc">${escapeHtml(doc.info.description)}</p>
<p>Machine-readable description: <a href="${escapeHtml(openApiHref)}">OpenAPI 3.1 document (openapi.json)</a>.</p>
</header>
<nav aria-labelledby="toc-title">
<h2 id="toc-title">Operations</h2>
<table>
<caption class="visually-hidden">All operations</caption>
<thead><tr><th scope="col">Method</th><th scope="col">Path</th><th scope="col">Summary</th><th ` +
    `scope="col">Scopes</th></tr></thead>
<tbody>
${summaryRows}
</tbody>
</table>
</nav>
<main id="main">
${tagSections}
<section aria-labelledby="auth-title">
<h2 id="auth-title">Authentication</h2>
<p>OAuth 2.0: client credentials for partner systems (token URL ` +
    `<code>${escapeHtml(flows?.clientCredentials.tokenUrl ?? '')}</code>);
authorization code with PKCE for people (authorization URL ` +
    `<code>${escapeHtml(flows?.authorizationCode.authorizationUrl ?? '')}</code>).
An operation accepts any one of the scopes it lists.</p>
<table>
<caption class="visually-hidden">Scopes</caption>
<thead><tr><th scope="col">Scope</th><th scope="col">Grants</th></tr></thead>
<tbody>
${scopeRows}
</tbody>
</table>
</section>
<section aria-labelledby="problem-title">
<h2 id="problem-title">Problem details</h2>
<p>Every error is <code>application/problem+json</code> with this schema.</p>
<pre><code>${json(problem ?? {})}</code></pre>
</section>
</main>
<footer>
<p>Generated from the route table. <a href="${escapeHtml(openApiHref)}">Download openapi.json</a>.</p>
</footer>
</body>
</html>
`
  );
}
