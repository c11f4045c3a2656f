import type { RouteDef } from '../../shared/http/route.js';
import { READ_THROTTLE } from '../../shared/http/rate-limits.js';
import { TaskSearchQuery } from '../../shared/schemas/fhir.js';

export const searchFhirTasksRoute = {
  id: 'searchFhirTasks',
  method: 'GET',
  path: '/fhir/R4/Task',
  handler: 'functions/fhir/search-tasks.ts',
  auth: { scopes: ['referrals.read'], roles: ['referrer'] },
  throttle: READ_THROTTLE,
  summary: "The referrer's own referrals changed since a time (_lastUpdated=gt…) as a searchset of Tasks",
  tags: ['fhir'],
  request: { query: TaskSearchQuery },
  response: { status: 200, contentType: 'application/fhir+json' },
  secrets: ['cursorKey'],
} as const satisfies RouteDef;
