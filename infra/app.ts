/**
 * CDK app entry (`cdk.json`: `npx tsx infra/app.ts`). The account stays unresolved so the
 * template is env-agnostic and `cdk synth` needs no credentials or lookups.
 */
import { App } from 'aws-cdk-lib';
import { HubStack } from './hub-stack.js';

const app = new App();

// Identifiable health data of people in England stays in London unless someone chooses
// otherwise with `-c region=…`. Not CDK_DEFAULT_REGION: the CLI fills that from whatever
// profile is at hand (us-east-1 when there is none), which is no decision at all.
const region = (app.node.tryGetContext('region') as string | undefined) ?? 'eu-west-2';

new HubStack(app, 'AmhpReferralHub', {
  env: { region },
  description: 'AMHP Referral Hub: referral API for Mental Health Act assessments',
  tags: { service: 'amhp-referral-hub' },
});

app.synth();
