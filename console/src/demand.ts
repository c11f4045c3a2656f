/**
 * Demand (analysts): when referrals arrive (hour of day × day of week), outcomes by ethnicity
 * group, and how long people wait from referral to assessment, for one whole month. Every
 * figure is an extract's published cell (aggregate, under disclosure control: `*` is a
 * suppressed small number); each picture has a CSV of exactly the figures it shows.
 */
import { OUTCOMES } from '../../shared/domain/vocabulary.js';
import { SessionEnded, api, describeError } from './api.js';
import type { View, ViewContext } from './context.js';
import { announce, field, h, replaceChildren } from './dom.js';
import {
  DAYS,
  HOURS,
  bucketLabel,
  buckets,
  bucketsCsv,
  crossTab,
  crossTabCsv,
  heatmap,
  heatmapCsv,
  hourLabel,
  maxCount,
  shade,
  type Cell,
} from './figures.js';

interface Extract {
  rule: { id: string; description: string };
  rows: Record<string, unknown>[];
  distribution?: Record<string, unknown>[];
}

/** The whole previous calendar month in London, as YYYY-MM. */
export function previousMonth(now = new Date()): string {
  const [year, month] = new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Europe/London',
    year: 'numeric',
    month: '2-digit',
  })
    .format(now)
    .split('-')
    .map(Number) as [number, number];
  const y = month === 1 ? year - 1 : year;
  const m = month === 1 ? 12 : month - 1;
  return `${y}-${String(m).padStart(2, '0')}`;
}

const monthRange = (month: string) => {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return { from: `${month}-01`, to: `${month}-${String(last).padStart(2, '0')}` };
};
const monthName = (month: string) =>
  new Intl.DateTimeFormat('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
    new Date(`${month}-01T00:00:00Z`),
  );
const label = (value: string) => value.replace(/-/g, ' ');

/**
 * Extract rows publish a suppressed count as an empty `count` beside `countSuppressed: true`
 * (the data dictionary at /docs); the figures here show it as `*`. Demand grids list every value
 * with 0; the tables here show only the groups that occur (an absent cell reads 0).
 */
const shown = (rows: Record<string, unknown>[] = []): Record<string, unknown>[] =>
  rows.map((r) => (r.countSuppressed === true ? { ...r, count: '*' } : r));
const asShown = (extract: Extract): Extract => ({
  ...extract,
  rows: shown(extract.rows).filter((r) => r.count !== 0),
  ...(extract.distribution ? { distribution: shown(extract.distribution) } : {}),
});

function cellText(cell: Cell): HTMLElement | string {
  return cell === '*' ? h('abbr', { title: 'Suppressed: between 1 and 7 referrals' }, '*') : String(cell);
}

function downloadLink(text: string, filename: string, what: string): HTMLAnchorElement {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
  return h(
    'a',
    { class: 'download', href: url, download: filename, 'aria-label': `Download CSV: ${what}` },
    'Download CSV',
  );
}

export function demandView(ctx: ViewContext): View {
  const { main } = ctx;
  let disposed = false;
  let links: string[] = [];
  const month = h('input', { type: 'month', name: 'month', required: true, value: previousMonth() });
  // Not a live region: a screen reader would read all 168 cells out on every Show. announce() says what changed.
  const results = h('div', { class: 'results', 'aria-busy': 'false' });
  const heading = h('h1', { tabindex: '-1' }, 'Demand');
  replaceChildren(
    main,
    heading,
    h(
      'p',
      { class: 'lede' },
      'Referrals received by the services you have a data-sharing agreement for. Aggregates only: no ' +
        'person can be picked out, and small numbers are suppressed.',
    ),
    h(
      'form',
      {
        class: 'inline',
        'aria-label': 'Choose a month',
        onsubmit: (e: Event) => {
          e.preventDefault();
          void load();
        },
      },
      field('Month', month),
      h('button', { type: 'submit' }, 'Show'),
    ),
    results,
  );
  heading.focus();

  const revokeLinks = () => {
    for (const url of links) URL.revokeObjectURL(url);
    links = [];
  };
  const link = (text: string, filename: string, what: string) => {
    const a = downloadLink(text, filename, what);
    links.push(a.href);
    return a;
  };

  function heatSection(extract: Extract, chosen: string): HTMLElement {
    const grid = heatmap(extract.rows);
    const max = maxCount(grid.flat());
    const title = `Referrals by hour of day and day of week, ${monthName(chosen)}`;
    return h(
      'section',
      { 'aria-labelledby': 'heat-title' },
      h('h2', { id: 'heat-title' }, 'When referrals arrive'),
      h(
        'p',
        { class: 'hint' },
        'Hour of receipt in London time. Darker means more referrals; * means between 1 and 7 (suppressed).',
      ),
      h(
        'div',
        { class: 'table-wrap' },
        h(
          'table',
          { class: 'heatmap' },
          h('caption', {}, title),
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              h('th', { scope: 'col' }, 'Day'),
              ...HOURS.map((hour) => h('th', { scope: 'col' }, hourLabel(hour))),
            ),
          ),
          h(
            'tbody',
            {},
            ...grid.map((cells, d) =>
              h(
                'tr',
                {},
                h('th', { scope: 'row' }, DAYS[d]!),
                ...cells.map((cell, hour) =>
                  h(
                    'td',
                    {
                      'data-day': d + 1,
                      'data-hour': hour,
                      class: cell === '*' ? 'suppressed' : `shade-${shade(cell, max)}`,
                    },
                    cellText(cell),
                  ),
                ),
              ),
            ),
          ),
        ),
      ),
      link(heatmapCsv(grid), `referrals-by-hour-and-day-${chosen}.csv`, title),
    );
  }

  function outcomesSection(extract: Extract, chosen: string): HTMLElement {
    const t = crossTab(extract.rows, 'ethnicityGroup', 'outcome', [], OUTCOMES);
    const title = `Outcomes by ethnicity group, ${monthName(chosen)}`;
    return h(
      'section',
      { 'aria-labelledby': 'outcome-title' },
      h('h2', { id: 'outcome-title' }, 'Outcomes by ethnicity group'),
      t.rows.length
        ? h(
            'div',
            { class: 'table-wrap' },
            h(
              'table',
              { class: 'crosstab' },
              h('caption', {}, title),
              h(
                'thead',
                {},
                h(
                  'tr',
                  {},
                  h('th', { scope: 'col' }, 'Ethnicity group'),
                  ...t.columns.map((c) => h('th', { scope: 'col' }, label(c))),
                ),
              ),
              h(
                'tbody',
                {},
                ...t.rows.map((r) =>
                  h(
                    'tr',
                    {},
                    h('th', { scope: 'row' }, label(r)),
                    ...t.columns.map((c) => h('td', { class: 'num' }, cellText(t.cell(r, c)))),
                  ),
                ),
              ),
            ),
          )
        : h('p', {}, 'No referrals this month.'),
      link(crossTabCsv(t, 'ethnicity group'), `outcomes-by-ethnicity-${chosen}.csv`, title),
    );
  }

  function waitSection(extract: Extract, chosen: string): HTMLElement {
    const list = buckets(extract.distribution ?? [], 'receivedToAssessment');
    const max = maxCount(list.map((b) => b.count));
    const title = `Time from referral to assessment, ${monthName(chosen)}`;
    return h(
      'section',
      { 'aria-labelledby': 'wait-title' },
      h('h2', { id: 'wait-title' }, 'Time to assessment'),
      h('p', { class: 'hint' }, 'Referrals assessed, by how long after receipt the assessment started.'),
      list.length ? null : h('p', {}, 'No referrals this month.'),
      h(
        'div',
        { class: 'bars', 'aria-hidden': 'true' },
        ...list.map((b) =>
          h(
            'div',
            { class: 'bar-row' },
            h('span', { class: 'bar-label' }, bucketLabel(b)),
            h('span', {
              class: `bar${b.count === '*' ? ' suppressed' : ''}`,
              'data-width': b.count === '*' ? 4 : max ? Math.round(((b.count as number) / max) * 100) : 0,
            }),
            h('span', { class: 'bar-value' }, String(b.count)),
          ),
        ),
      ),
      h(
        'table',
        { class: 'distribution' },
        h('caption', {}, title),
        h(
          'thead',
          {},
          h('tr', {}, h('th', { scope: 'col' }, 'Time to assessment'), h('th', { scope: 'col' }, 'Referrals')),
        ),
        h(
          'tbody',
          {},
          ...list.map((b) =>
            h('tr', {}, h('th', { scope: 'row' }, bucketLabel(b)), h('td', { class: 'num' }, cellText(b.count))),
          ),
        ),
      ),
      link(bucketsCsv(list), `time-to-assessment-${chosen}.csv`, title),
    );
  }

  async function load(): Promise<void> {
    const chosen = month.value;
    if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(chosen)) {
      replaceChildren(
        results,
        h('div', { class: 'alert', role: 'alert' }, 'Month: give a month as YYYY-MM, e.g. 2026-11.'),
      );
      month.focus();
      return;
    }
    const { from, to } = monthRange(chosen);
    const q = `period=month&from=${from}&to=${to}`;
    results.setAttribute('aria-busy', 'true');
    try {
      const [heat, outcomes, timings] = await Promise.all([
        api<Extract>(`/v1/extracts/demand?${q}&by=dayOfWeek,hourOfDay`),
        api<Extract>(`/v1/extracts/demand?${q}&by=ethnicityGroup,outcome`),
        api<Extract>(`/v1/extracts/timings?${q}`),
      ]);
      if (disposed || chosen !== month.value) return;
      revokeLinks();
      replaceChildren(
        results,
        h('p', { class: 'rule' }, h('strong', {}, 'Disclosure control: '), heat.body.rule.description),
        heatSection(asShown(heat.body), chosen),
        outcomesSection(asShown(outcomes.body), chosen),
        waitSection(asShown(timings.body), chosen),
      );
      // Bar widths are set from script, not inline styles, so the page's CSP needs no 'unsafe-inline'.
      for (const bar of results.querySelectorAll<HTMLElement>('.bar[data-width]'))
        bar.style.width = `${bar.dataset.width}%`;
      announce(`Demand figures for ${monthName(chosen)} shown.`);
    } catch (error) {
      if (disposed) return;
      if (error instanceof SessionEnded) return ctx.onSessionEnded();
      replaceChildren(results, h('div', { class: 'alert', role: 'alert' }, describeError(error)));
    } finally {
      results.setAttribute('aria-busy', 'false');
    }
  }

  void load();
  return {
    dispose() {
      disposed = true;
      revokeLinks();
    },
  };
}
