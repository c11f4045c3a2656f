/**
 * One concern, the 406 stage: a request whose `Accept` names none of the media types the route
 * answers with (its content type and `alternatives`, e.g. `text/csv`) is refused rather than
 * answered in a type the client said it cannot read. No Accept, `*\/*` or `type/*` accept all.
 */
import { HttpProblem } from '../problem.js';
import { header } from '../types.js';
import { stateOf, type HubMiddleware } from '../request-state.js';
import type { RouteDef } from '../route.js';

const bare = (type: string): string => type.split(';')[0]!.trim().toLowerCase();

export const offeredTypes = (route: RouteDef): string[] => [
  bare(route.response.contentType ?? 'application/json'),
  ...(route.response.alternatives ?? []).map(bare),
];

/** Does an Accept header admit one of the offered types? */
export function accepts(accept: string | undefined, offered: readonly string[]): boolean {
  if (accept === undefined || accept.trim() === '') return true;
  for (const range of accept.split(',')) {
    const [type, ...params] = range.split(';').map((p) => p.trim().toLowerCase());
    if (!type) continue;
    const q = params.find((p) => p.startsWith('q='));
    if (q !== undefined && !(Number(q.slice(2)) > 0)) continue;
    if (type === '*/*') return true;
    for (const offer of offered) {
      if (type === offer) return true;
      if (type.endsWith('/*') && offer.startsWith(type.slice(0, -1))) return true;
    }
  }
  return false;
}

export const acceptable = (): HubMiddleware => ({
  before: (request) => {
    const state = stateOf(request);
    const offered = offeredTypes(state.route);
    if (!accepts(header(request.event, 'Accept'), offered)) {
      throw new HttpProblem(
        'not-acceptable',
        `This operation answers with ${offered.join(' or ')}; send an Accept header that allows one of them.`,
      );
    }
  },
});
