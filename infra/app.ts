/**
 * CDK app entry (`cdk.json`: `npx tsx infra/app.ts`). The account stays unresolved so the
 * template is env-agnostic and `cdk synth` needs no credentials or lookups.
 */
import { App } from 'aws-cdk-lib';
import { HubStack } from './hub-stack.js';

const app = new App();

new HubStack(app, 'AmhpReferralHub', {
  env: { region: process.env.CDK_DEFAULT_REGION ?? 'eu-west-2' },
  description: 'AMHP Referral Hub: referral API for Mental Health Act assessments',
  tags: { service: 'amhp-referral-hub' },
});

app.synth();
