/**
 * The operator console in AWS, continued from console.test.ts: the deployment of the built
 * console and its config.json, people sign-in through Cognito, the custom domain and the API
 * path patterns. Shared synth and helpers live in ./console.fixture.ts.
 */
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Aspects } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ConsoleConfig } from '../../console/build.js';
import type { RouteDef } from '../../functions/routes.js';
import { apiPathPatterns, CONSOLE_PREFIX } from '../../infra/constructs/console.js';
import { fullScope, ROLE_SCOPES, ROLES } from '../../shared/identity/roles.js';
import { statementsOfRole, synthHubStack } from './synth.js';
import {
  type Resource,
  registry,
  routes,
  CERTIFICATE_ARN,
  root,
  template,
  outdir,
  resourcesOf,
  only,
  idStartingWith,
  consoleBucket,
  distribution,
  distributionConfig,
  joined,
} from './console.fixture.js';

describe('deployment', () => {
  const customResource = () => only(resourcesOf('Custom::CDKBucketDeployment'), 'bucket deployment')[1].Properties;

  it('syncs the built files and config.json under console/ with no-cache, pruning, and invalidates /console/*', () => {
    const [bucketId] = consoleBucket();
    const [distributionId] = distribution();
    expect(customResource()).toMatchObject({
      DestinationBucketName: { Ref: bucketId },
      DestinationBucketKeyPrefix: CONSOLE_PREFIX,
      Prune: true,
      SystemMetadata: { 'cache-control': 'no-cache' },
      DistributionId: { Ref: distributionId },
      DistributionPaths: [`/${CONSOLE_PREFIX}*`],
      WaitForDistributionInvalidation: true,
    });
    expect(customResource().SourceObjectKeys).toHaveLength(2);
  });

  /**
   * The people client's API key value as config.json shows it (a deploy-time value: each token as {{its template
   * value}}).
   */
  const peopleKeyValue = (): string => {
    const [, key] = only(
      Object.fromEntries(
        Object.entries(resourcesOf('AWS::ApiGateway::ApiKey')).filter(([, k]) =>
          String(k.Properties.Name).endsWith('-people-console'),
        ),
      ),
      'people API key',
    );
    const value = key.Properties.Value as { 'Fn::Join': [string, unknown[]] };
    return value['Fn::Join'][1]
      .map((part) => (typeof part === 'string' ? part : `{{${JSON.stringify(part).replace(/"/g, "'")}}}`))
      .join('');
  };

  it(
    'deploys config.json for Cognito sign-in: the people client, the hosted UI endpoints, the console as ' +
      'redirect URI, every people scope, the people API key',
    () => {
      const props = customResource();
      const index = (props.SourceMarkers as Record<string, unknown>[]).findIndex((m) => Object.keys(m).length > 0);
      expect(index).toBeGreaterThanOrEqual(0);
      const markers = props.SourceMarkers[index] as Record<string, unknown>;
      const key = (props.SourceObjectKeys[index] as string).replace(/\.zip$/, '');
      const file = path.join(outdir, `asset.${key}`, 'config.json');
      expect(existsSync(file), file).toBe(true);
      // Markers become the deploy-time values; here each shows which template value it is.
      const text = Object.entries(markers).reduce(
        (t, [marker, value]) => t.split(marker).join(`{{${JSON.stringify(value).replace(/"/g, "'")}}}`),
        readFileSync(file, 'utf8'),
      );
      const config = JSON.parse(text) as Extract<ConsoleConfig, { mode: 'cognito' }>;

      const [clientId] = only(
        Object.fromEntries(
          Object.entries(resourcesOf('AWS::Cognito::UserPoolClient')).filter(
            ([, c]) => c.Properties.ClientName === registry.peopleClientId,
          ),
        ),
        'people client',
      );
      const [domainId] = only(resourcesOf('AWS::Cognito::UserPoolDomain'), 'Cognito domain');
      const [distributionId] = distribution();
      const cognito = `https://{{{'Ref':'${domainId}'}}}.auth.eu-west-2.amazoncognito.com`;
      expect(config).toEqual({
        mode: 'cognito',
        authorizeUrl: `${cognito}/oauth2/authorize`,
        tokenUrl: `${cognito}/oauth2/token`,
        logoutUrl: `${cognito}/logout`,
        clientId: `{{{'Ref':'${clientId}'}}}`,
        redirectUri: `https://{{{'Fn::GetAtt':['${distributionId}','DomainName']}}}/console/`,
        scopes: ['openid', ...new Set(ROLES.flatMap((role) => ROLE_SCOPES[role]).map(fullScope))],
        apiKey: peopleKeyValue(),
      });
      expect(config.scopes).not.toContain(fullScope('extracts.records'));
    },
  );

  it(
    'gives the deployer only its own log group, its two assets, list and write under console/ and this ' +
      "distribution's invalidations",
    () => {
      const [roleId] = idStartingWith('AWS::IAM::Role', 'ConsoleDeployerRole');
      const [functionId, fn] = only(
        Object.fromEntries(
          Object.entries(resourcesOf('AWS::Lambda::Function')).filter(
            ([, f]) => f.Properties.Role['Fn::GetAtt'][0] === roleId,
          ),
        ),
        'deployer function',
      );
      expect(functionId).toMatch(/^CustomCDKBucketDeployment/);
      const [logGroupId] = idStartingWith('AWS::Logs::LogGroup', 'ConsoleDeployerLogs');
      expect(fn.Properties.LoggingConfig).toEqual({ LogGroup: { Ref: logGroupId } });
      expect(fn.Properties.VpcConfig).toBeUndefined();
      const [, role] = idStartingWith('AWS::IAM::Role', 'ConsoleDeployerRole');
      expect(role.Properties.ManagedPolicyArns).toBeUndefined();

      // The deployer's grants are its role's DefaultPolicy (a resource the function waits for, below).
      const policies = Object.entries(resourcesOf('AWS::IAM::Policy')).filter(([, p]) =>
        JSON.stringify(p.Properties.Roles).includes(roleId),
      );
      expect(policies).toHaveLength(1);
      const [policyId] = policies[0]!;
      const [bucketId] = consoleBucket();
      const [distributionId] = distribution();
      const statements = statementsOfRole<Record<string, any>>(template, roleId).map((s) => ({
        actions: [s.Action].flat().sort(),
        resources: [s.Resource].flat().map((r) => joined(r)),
        condition: s.Condition,
      }));
      const bucketArn = `{{{"Fn::GetAtt":["${bucketId}","Arn"]}}}`;
      expect(statements).toEqual(
        expect.arrayContaining([
          {
            actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
            resources: [`{{{"Fn::GetAtt":["${logGroupId}","Arn"]}}}`],
            condition: undefined,
          },
          {
            actions: ['s3:ListBucket'],
            resources: [bucketArn],
            condition: { StringLike: { 's3:prefix': ['console/*'] } },
          },
          { actions: ['s3:DeleteObject', 's3:PutObject'], resources: [`${bucketArn}/console/*`], condition: undefined },
          {
            actions: ['cloudfront:CreateInvalidation', 'cloudfront:GetInvalidation'],
            resources: [
              'arn:{{{"Ref":"AWS::Partition"}}}:cloudfront::{{{"Ref":"AWS::AccountId"}}}:' +
                `distribution/{{{"Ref":"${distributionId}"}}}`,
            ],
            condition: undefined,
          },
        ]),
      );
      // The asset reads name each asset object (the same keys the custom resource copies from).
      const reads = statements.find((s) => s.actions.join() === 's3:GetObject')!;
      expect(reads.resources.map((r) => r.slice(r.lastIndexOf('/') + 1)).sort()).toEqual(
        [...customResource().SourceObjectKeys].sort(),
      );
      expect(statements).toHaveLength(5);
      // The function (and with it the custom resource) waits for the policy.
      expect(fn.DependsOn).toContain(policyId);
      expect(only(resourcesOf('Custom::CDKBucketDeployment'), 'bucket deployment')[1].DependsOn).toContain(policyId);
    },
  );
});

describe('people sign-in', () => {
  const peopleClient = (t: Template = template) =>
    only(
      Object.fromEntries(
        Object.entries(resourcesOf('AWS::Cognito::UserPoolClient', t)).filter(
          ([, c]) => c.Properties.ClientName === registry.peopleClientId,
        ),
      ),
      'people client',
    )[1].Properties;

  it(
    "sends people back to the console: the people client's callback and logout URL is " +
      'https://<distribution>/console/',
    () => {
      const [distributionId] = distribution();
      const consoleUrl = `https://{{{"Fn::GetAtt":["${distributionId}","DomainName"]}}}/console/`;
      expect(peopleClient().CallbackURLs.map(joined)).toEqual([consoleUrl]);
      expect(peopleClient().LogoutURLs.map(joined)).toEqual([consoleUrl]);
      expect(joined(template.findOutputs('ConsoleUrl').ConsoleUrl!.Value)).toBe(consoleUrl);
    },
  );

  it('has no dependency cycle (client -> distribution -> stage -> authorizer -> pool)', () => {
    const resources = template.toJSON().Resources as Record<string, Resource>;
    const refs = (value: unknown, found = new Set<string>()): Set<string> => {
      if (Array.isArray(value)) {
        for (const v of value) refs(v, found);
      } else if (value && typeof value === 'object') {
        for (const [key, v] of Object.entries(value)) {
          if (key === 'Ref' && typeof v === 'string') found.add(v);
          else if (key === 'Fn::GetAtt') found.add((v as string[])[0]!);
          else if (key === 'Fn::Sub')
            for (const [, name] of JSON.stringify(v).matchAll(/\$\{([A-Za-z0-9]+)[.}]/g)) found.add(name!);
          else refs(v, found);
        }
      }
      return found;
    };
    const edges = new Map(
      Object.entries(resources).map(([id, r]) => [
        id,
        [...refs(r.Properties), ...(r.DependsOn ?? [])].filter((dep) => dep in resources),
      ]),
    );
    // The edge that could close a cycle is there: the people client needs the distribution's name.
    const [clientId] = Object.entries(resources).find(
      ([, r]) => r.Type === 'AWS::Cognito::UserPoolClient' && r.Properties.ClientName === registry.peopleClientId,
    )!;
    expect(edges.get(clientId)).toContain(distribution()[0]);
    const state = new Map<string, 'visiting' | 'done'>();
    const cycle: string[] = [];
    const visit = (id: string, trail: string[]): boolean => {
      if (state.get(id) === 'done') return false;
      if (state.get(id) === 'visiting') return cycle.push(...trail.slice(trail.indexOf(id)), id) > 0;
      state.set(id, 'visiting');
      for (const dep of edges.get(id)!) if (visit(dep, [...trail, id])) return true;
      state.set(id, 'done');
      return false;
    };
    for (const id of edges.keys()) if (visit(id, [])) break;
    expect(cycle).toEqual([]);
  });

  it(
    'adds peopleCallbackUrls and peopleLogoutUrls from context to the console URL, which stays (config.json ' +
      'redirects there)',
    () => {
      const { stack } = synthHubStack(root, 'HubConsoleCallbacks', {
        context: {
          peopleCallbackUrls: 'https://console.example.org/console/,http://localhost:3000/console/',
          peopleLogoutUrls: 'https://console.example.org/console/',
        },
      });
      const t = Template.fromStack(stack);
      const { CallbackURLs, LogoutURLs } = peopleClient(t);
      expect(CallbackURLs).toHaveLength(3);
      expect(CallbackURLs.slice(1)).toEqual(['https://console.example.org/console/', 'http://localhost:3000/console/']);
      expect(JSON.stringify(CallbackURLs[0])).toContain('DomainName');
      expect(LogoutURLs).toHaveLength(2);
      expect(LogoutURLs[0]).toEqual(CallbackURLs[0]);
    },
  );
});

describe('custom domain', () => {
  let custom: Template;
  let annotations: Annotations;
  beforeAll(() => {
    const { stack } = synthHubStack(root, 'HubConsoleDomain', {
      context: { consoleDomainName: 'hub-console.example.nhs.uk', consoleCertificateArn: CERTIFICATE_ARN },
      beforeStack: (app) => Aspects.of(app).add(new AwsSolutionsChecks({ reports: false })),
    });
    custom = Template.fromStack(stack);
    annotations = Annotations.fromStack(stack);
  });

  it('serves the console on the custom name with TLSv1.2_2021 over SNI, and nag needs no CFR4 suppression', () => {
    expect(distributionConfig(custom)).toMatchObject({
      Aliases: ['hub-console.example.nhs.uk'],
      ViewerCertificate: {
        AcmCertificateArn: CERTIFICATE_ARN,
        MinimumProtocolVersion: 'TLSv1.2_2021',
        SslSupportMethod: 'sni-only',
      },
    });
    const suppressed = (distribution(custom)[1].Metadata?.cdk_nag?.rules_to_suppress ?? []) as { id: string }[];
    expect(suppressed.map((s) => s.id)).not.toContain('AwsSolutions-CFR4');
    expect(annotations.findError('*', Match.stringLikeRegexp('AwsSolutions-CFR'))).toEqual([]);
    const client = Object.values(resourcesOf('AWS::Cognito::UserPoolClient', custom)).find(
      (c) => c.Properties.ClientName === registry.peopleClientId,
    )!;
    expect(client.Properties.CallbackURLs).toEqual(['https://hub-console.example.nhs.uk/console/']);
    expect(custom.findOutputs('ConsoleUrl').ConsoleUrl!.Value).toBe('https://hub-console.example.nhs.uk/console/');
  });

  it(
    "sends a request on any other host name (the distribution's own) to the custom name, where config.json " +
      'redirects sign-in',
    () => {
      const [, fn] = only(resourcesOf('AWS::CloudFront::Function', custom), 'CloudFront function');
      const handler = new Function(`${fn.Properties.FunctionCode as string}\nreturn handler;`)() as (
        event: unknown,
      ) => Record<string, any>;
      const request = (host: string, uri: string) =>
        handler({ request: { method: 'GET', uri, headers: { host: { value: host } }, querystring: {}, cookies: {} } });
      expect(request('d111111abcdef8.cloudfront.net', '/console/app.js')).toMatchObject({
        statusCode: 301,
        headers: { location: { value: 'https://hub-console.example.nhs.uk/console/app.js' } },
      });
      expect(request('d111111abcdef8.cloudfront.net', '/')).toMatchObject({
        statusCode: 301,
        headers: { location: { value: 'https://hub-console.example.nhs.uk/console/' } },
      });
      expect(request('hub-console.example.nhs.uk', '/console/')).toMatchObject({ uri: '/console/index.html' });
    },
  );

  it('refuses a domain name without a certificate', () => {
    expect(() =>
      synthHubStack(root, 'HubConsoleNoCert', { context: { consoleDomainName: 'hub-console.example.nhs.uk' } }),
    ).toThrow(/certificate/);
  });
});

describe('apiPathPatterns', () => {
  it('covers versioned routes with one pattern and unversioned ones by path', () => {
    expect(apiPathPatterns(routes)).toEqual([
      '/docs',
      '/fhir/R4/*',
      '/health',
      '/openapi.json',
      '/problems/*',
      '/v1/*',
    ]);
  });

  it('refuses routes that would shadow the console or cannot be a path pattern', () => {
    const route = (p: string) => [{ ...routes[0]!, path: p }] as RouteDef[];
    for (const p of ['/', '/console', '/console/app.js'])
      expect(() => apiPathPatterns(route(p)), p).toThrow(/shadow the console/);
    expect(() => apiPathPatterns(route('/{id}'))).toThrow(/path parameter/);
  });
});
