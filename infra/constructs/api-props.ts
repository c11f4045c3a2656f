/** What the Api construct is built from. Split out of api.ts, which re-exports it. */
import type * as cognito from 'aws-cdk-lib/aws-cognito';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type { RouteDef, Throttle } from '../../functions/routes.js';
import type { Data } from './data.js';
import type { HubFunctionDefaults } from './hub-function.js';

export interface ApiProps {
  readonly data: Data;
  readonly userPool: cognito.IUserPool;
  readonly functionDefaults: HubFunctionDefaults;
  /** Registry `clientId`s of partner systems: one API key each. */
  readonly machineClientIds: readonly string[];
  /** @default ROUTES */
  readonly routes?: readonly RouteDef[];
  /**
   * `live`, not `v1`: the version is already in the route paths (`/v1/...`).
   * @default 'live'
   */
  readonly stageName?: string;
  /**
   * Whether authorized methods require `x-api-key`. API Gateway applies a usage plan's limits
   * ONLY on methods that require an API key (on other methods the header is ignored), so this
   * is what makes the per-client limits real: on by default. Every caller of an authorized
   * method then needs a key: each partner system its own, the people console the people
   * client's (see `peopleApiKeyValue`). `false` (context `requireApiKey=false`) leaves the keys
   * and plans in place but unenforced: the stage's safety-net method limits and the WAF per-IP
   * rule are then the only limits, and one client can starve the others.
   * @default true
   */
  readonly requireApiKey?: boolean;
  /** Limits of each partner system's key across all methods. @default 50 rps, burst 100 */
  readonly clientThrottle?: Throttle;
  /**
   * A partner system whose limits differ: its plan's figures (every method's and the overall
   * one) are the defaults times this factor. Context `clientThrottleScale` (JSON object).
   * @default - 1 for every client
   */
  readonly clientThrottleScale?: Readonly<Record<string, number>>;
  /**
   * The people client's key is ONE key shared by everybody using the console, so its plan is
   * the per-client figures times this factor (a duty team working at once, not one system).
   * @default 5
   */
  readonly peopleThrottleScale?: number;
  /**
   * Stage method limits on authorized routes are the route's per-client figure times this: a
   * safety net for the API as a whole, well above any one plan, so the per-client limits live
   * in the usage plans and one client cannot use up a method for everybody. Public routes have
   * no key and no plan: their stage limit is their route figure (the whole budget).
   * @default 10
   */
  readonly stageThrottleScale?: number;
  /**
   * Create the account-wide role API Gateway needs to write any CloudWatch log (access logs
   * included). Turn off where another stack already set it for the account and region.
   * @default true
   */
  readonly manageAccountLogRole?: boolean;
  /** @default logs.RetentionDays.ONE_YEAR - security investigations look back months */
  readonly accessLogRetention?: logs.RetentionDays;
  /** ERROR-level execution logs. @default logs.RetentionDays.THREE_MONTHS - as the function logs */
  readonly executionLogRetention?: logs.RetentionDays;
}
