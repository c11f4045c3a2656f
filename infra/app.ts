/**
 * CDK app entry (`cdk.json`: `npx tsx infra/app.ts`). The account stays unresolved so the
 * template is env-agnostic and `cdk synth` needs no credentials or lookups.
 */
import { readFileSync } from 'node:fs';
import { App } from 'aws-cdk-lib';
import { Registry } from '../shared/schemas/registry.js';
import { HubStack } from './hub-stack.js';
import { loadRegistry } from './local/seed.js';

const app = new App();

// Identifiable health data of people in England stays in London unless someone chooses
// otherwise with `-c region=…`. Not CDK_DEFAULT_REGION: the CLI fills that from whatever
// profile is at hand (us-east-1 when there is none), which is no decision at all.
const region = (app.node.tryGetContext('region') as string | undefined) ?? 'eu-west-2';

// The partner systems to create Cognito clients, API keys and usage plans for: a registry file
// (`-c registry=path/to/registry.json`), or `-c registry=seed` for a demonstration stack with
// the local seed's invented partners. No default: a production stack must name its partners.
const registryChoice = app.node.tryGetContext('registry') as string | undefined;
if (!registryChoice)
  throw new Error(
    'Give -c registry=<registry.json> (the partner systems), or -c registry=seed for a demonstration stack.',
  );
const registry =
  registryChoice === 'seed' ? loadRegistry() : Registry.parse(JSON.parse(readFileSync(registryChoice, 'utf8')));

new HubStack(app, 'AmhpReferralHub', {
  registry,
  env: { region },
  description: 'AMHP Referral Hub: referral API for Mental Health Act assessments',
  tags: { service: 'amhp-referral-hub' },
});

app.synth();
