/**
 * Scheduled handlers from the ONE schedule list (`functions/schedules.ts`) whose `builtBy` is
 * `schedules`: a HubFunction and an EventBridge rule each.
 */
import { Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';
import { CONSUMER_ACCESS, SCHEDULE_ACCESS, type DataAccess } from '../../functions/access.js';
import { schedulesBuiltBy } from '../../functions/functions.js';
import type { ScheduleDef } from '../../functions/schedules.js';
import type { Data } from './data.js';
import { HubFunction, type HubFunctionDefaults } from './hub-function.js';

export interface SchedulesProps {
  readonly data: Data;
  readonly functionDefaults: HubFunctionDefaults;
  /** @default the schedules whose `builtBy` is 'schedules' */
  readonly schedules?: readonly ScheduleDef[];
}

export class Schedules extends Construct {
  readonly functions: ReadonlyMap<string, HubFunction>;
  readonly rules: ReadonlyMap<string, events.Rule>;

  constructor(scope: Construct, id: string, props: SchedulesProps) {
    super(scope, id);
    const functions = new Map<string, HubFunction>();
    const rules = new Map<string, events.Rule>();
    for (const def of props.schedules ?? schedulesBuiltBy('schedules')) {
      const fn = new HubFunction(this, `Schedule-${def.id}`, {
        ...props.functionDefaults,
        entry: def.handler,
        description: def.description,
        // The next run comes within the minute and redoes whatever this one missed; a retry
        // would only overlap it.
        retryAttempts: 0,
      });
      fn.grantData(props.data, scheduleAccess(def.id));
      NagSuppressions.addResourceSuppressions(fn.function, [
        {
          id: 'HIPAA.Security-LambdaDLQ',
          reason:
            `Invoked by EventBridge on ${def.expression} with an empty scheduled event and retryAttempts 0: ` +
            `a DLQ would hold copies of that empty event. The state it works on lives in the hub table, and ` +
            `the next run redoes whatever this one missed.`,
        },
      ]);
      functions.set(def.id, fn);

      rules.set(
        def.id,
        new events.Rule(this, `Rule-${def.id}`, {
          description: def.description,
          schedule: events.Schedule.expression(def.expression),
          targets: [new targets.LambdaFunction(fn.function, { retryAttempts: 2, maxEventAge: Duration.minutes(1) })],
        }),
      );
    }
    this.functions = functions;
    this.rules = rules;
  }
}

/** A schedule's declaration in functions/access.ts. */
export const scheduleAccess = (id: string): DataAccess => {
  const access = (SCHEDULE_ACCESS as Record<string, DataAccess | undefined>)[id];
  if (!access) throw new Error(`Schedule ${id} declares no data access in functions/access.ts`);
  return access;
};

/** A stream consumer's declaration in functions/access.ts. */
export const consumerAccess = (id: string): DataAccess => {
  const access = (CONSUMER_ACCESS as Record<string, DataAccess | undefined>)[id];
  if (!access) throw new Error(`Consumer ${id} declares no data access in functions/access.ts`);
  return access;
};
