import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import { describe, expect, it } from 'vitest';
import { apiPathPatterns, CONSOLE_PREFIX } from '../../infra/constructs/console.js';
import {
  type Behavior,
  routes,
  template,
  resourcesOf,
  only,
  idStartingWith,
  consoleBucket,
  distribution,
  distributionConfig,
  originById,
  apiBehaviors,
  matches,
  concrete,
  joined,
} from './console.fixture.js';

describe('console bucket', () => {
  it('is private, TLS-only, versioned and logs its access to the Hub access-logs bucket', () => {
    const [, bucket] = consoleBucket();
    expect(bucket.Properties).toMatchObject({
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
      VersioningConfiguration: { Status: 'Enabled' },
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
      LoggingConfiguration: {
        DestinationBucketName: { Ref: expect.stringMatching(/^DataAccessLogsBucket/) },
        LogFilePrefix: 'console/',
      },
    });
  });

  it('lets only this distribution read it (origin access control), and denies anything without TLS', () => {
    const [bucketId] = consoleBucket();
    const [, policy] = only(
      Object.fromEntries(
        Object.entries(resourcesOf('AWS::S3::BucketPolicy')).filter(([, p]) => p.Properties.Bucket.Ref === bucketId),
      ),
      'console bucket policy',
    );
    const statements = policy.Properties.PolicyDocument.Statement as Record<string, any>[];
    expect(statements.some((s) => s.Effect === 'Deny' && s.Condition?.Bool?.['aws:SecureTransport'] === 'false')).toBe(
      true,
    );
    const allows = statements.filter((s) => s.Effect === 'Allow');
    expect(allows).toHaveLength(1);
    const [distributionId] = distribution();
    expect(allows[0]).toMatchObject({ Action: 's3:GetObject', Principal: { Service: 'cloudfront.amazonaws.com' } });
    expect(JSON.stringify(allows[0]!.Condition.StringEquals['AWS:SourceArn'])).toContain(`{"Ref":"${distributionId}"}`);
  });
});

describe('distribution', () => {
  it('serves the bucket through an origin access control (SigV4, always signed), not an OAI', () => {
    const [bucketId] = consoleBucket();
    const s3Origins = (distributionConfig().Origins as Record<string, any>[]).filter((o) =>
      JSON.stringify(o.DomainName).includes(bucketId),
    );
    expect(s3Origins).toHaveLength(1);
    const [oacId, oac] = only(resourcesOf('AWS::CloudFront::OriginAccessControl'), 'origin access control');
    expect(s3Origins[0]).toMatchObject({
      OriginAccessControlId: { 'Fn::GetAtt': [oacId, 'Id'] },
      S3OriginConfig: { OriginAccessIdentity: '' },
    });
    expect(oac.Properties.OriginAccessControlConfig).toMatchObject({
      OriginAccessControlOriginType: 's3',
      SigningBehavior: 'always',
      SigningProtocol: 'sigv4',
    });
    expect(distributionConfig().DefaultCacheBehavior.TargetOriginId).toBe(s3Origins[0]!.Id);
    template.resourceCountIs('AWS::CloudFront::CloudFrontOriginAccessIdentity', 0);
  });

  it(
    'sends every route to the stage (TLS 1.2, https only) uncached, with every viewer header but Host, ' +
      'Authorization included',
    () => {
      const behaviors = apiBehaviors();
      expect(behaviors.map((b) => b.PathPattern).sort()).toEqual(apiPathPatterns(routes));
      for (const route of routes) {
        const behavior = behaviors.find((b) => matches(b.PathPattern, concrete(route.path)));
        expect(behavior, `${route.method} ${route.path}`).toBeDefined();
        expect(behavior!.AllowedMethods).toEqual(
          expect.arrayContaining([route.method, 'GET', 'HEAD', 'OPTIONS', 'PUT', 'PATCH', 'POST', 'DELETE']),
        );
      }
      const apiOriginIds = new Set(behaviors.map((b) => b.TargetOriginId));
      expect(apiOriginIds.size).toBe(1);
      const origin = originById([...apiOriginIds][0]!);
      const [restApiId] = only(resourcesOf('AWS::ApiGateway::RestApi'), 'rest api');
      const [stageId] = only(resourcesOf('AWS::ApiGateway::Stage'), 'stage');
      expect(JSON.stringify(origin.DomainName)).toContain(`{"Ref":"${restApiId}"}`);
      // The stage is the origin path: /v1/referrals reaches <api>/live/v1/referrals.
      expect(JSON.stringify(origin.OriginPath)).toContain(`{"Ref":"${stageId}"}`);
      expect(origin.CustomOriginConfig).toMatchObject({
        OriginProtocolPolicy: 'https-only',
        OriginSSLProtocols: ['TLSv1.2'],
      });
      for (const behavior of behaviors) {
        expect(behavior, behavior.PathPattern).toMatchObject({
          // CachingDisabled + AllViewerExceptHostHeader: with caching off, CloudFront forwards the
          // Authorization header (and x-api-key) through the origin request policy.
          CachePolicyId: cloudfront.CachePolicy.CACHING_DISABLED.cachePolicyId,
          OriginRequestPolicyId: cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER.originRequestPolicyId,
          ViewerProtocolPolicy: 'https-only',
        });
      }
    },
  );

  it('serves the console files, never the API, on the default behaviour, GET and HEAD only, redirecting http', () => {
    const defaults = distributionConfig().DefaultCacheBehavior as Behavior;
    expect(defaults.AllowedMethods).toEqual(['GET', 'HEAD']);
    expect(defaults.ViewerProtocolPolicy).toBe('redirect-to-https');
    expect(
      apiBehaviors().some(
        (b) => matches(b.PathPattern, `/${CONSOLE_PREFIX}index.html`) || matches(b.PathPattern, `/${CONSOLE_PREFIX}`),
      ),
    ).toBe(false);
    const [, cachePolicy] = idStartingWith('AWS::CloudFront::CachePolicy', 'ConsoleFilesCache');
    expect(defaults.CachePolicyId).toEqual({
      Ref: idStartingWith('AWS::CloudFront::CachePolicy', 'ConsoleFilesCache')[0],
    });
    // No query string, header or cookie reaches S3 or splits the cache (the sign-in callback's ?code= included).
    expect(cachePolicy.Properties.CachePolicyConfig.ParametersInCacheKeyAndForwardedToOrigin).toMatchObject({
      CookiesConfig: { CookieBehavior: 'none' },
      HeadersConfig: { HeaderBehavior: 'none' },
      QueryStringsConfig: { QueryStringBehavior: 'none' },
    });
  });

  it(
    'redirects / and /console to /console/, serves index.html there, and 404s outside /console/ ' +
      '(viewer-request function)',
    () => {
      const [functionId, fn] = only(resourcesOf('AWS::CloudFront::Function'), 'CloudFront function');
      expect(distributionConfig().DefaultCacheBehavior.FunctionAssociations).toEqual([
        { EventType: 'viewer-request', FunctionARN: { 'Fn::GetAtt': [functionId, 'FunctionARN'] } },
      ]);
      expect(fn.Properties.FunctionConfig.Runtime).toBe('cloudfront-js-2.0');
      // The function body runs here as CloudFront would run it on a viewer request.
      const handler = new Function(`${fn.Properties.FunctionCode as string}\nreturn handler;`)() as (
        event: unknown,
      ) => Record<string, any>;
      const request = (uri: string) =>
        handler({ request: { method: 'GET', uri, headers: {}, querystring: {}, cookies: {} } });
      for (const uri of ['/', '/console'])
        expect(request(uri), uri).toMatchObject({ statusCode: 301, headers: { location: { value: '/console/' } } });
      expect(request('/console/')).toMatchObject({ uri: '/console/index.html' });
      for (const file of ['app.js', 'app.css', 'config.json', 'index.html'])
        expect(request(`/console/${file}`)).toMatchObject({ uri: `/console/${file}` });
      for (const uri of ['/favicon.ico', '/consolex', '/other/console/'])
        expect(request(uri), uri).toMatchObject({ statusCode: 404 });
    },
  );

  it(
    'adds strict security headers to console responses: CSP (frame-ancestors none, Cognito only for ' +
      'sign-in), HSTS, nosniff, no referrer, DENY',
    () => {
      const [policyId, policy] = only(resourcesOf('AWS::CloudFront::ResponseHeadersPolicy'), 'response headers policy');
      expect(distributionConfig().DefaultCacheBehavior.ResponseHeadersPolicyId).toEqual({ Ref: policyId });
      const headers = policy.Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig;
      expect(headers).toMatchObject({
        ContentTypeOptions: { Override: true },
        FrameOptions: { FrameOption: 'DENY', Override: true },
        ReferrerPolicy: { ReferrerPolicy: 'no-referrer', Override: true },
        StrictTransportSecurity: { AccessControlMaxAgeSec: 63_072_000, IncludeSubdomains: true, Override: true },
        ContentSecurityPolicy: { Override: true },
      });
      const [domainId] = only(resourcesOf('AWS::Cognito::UserPoolDomain'), 'Cognito domain');
      const cognito = `https://{{{"Ref":"${domainId}"}}}.auth.eu-west-2.amazoncognito.com`;
      const directives = Object.fromEntries(
        joined(headers.ContentSecurityPolicy.ContentSecurityPolicy)
          .split(';')
          .map((d) => d.trim().split(/\s+/))
          .map(([name, ...values]) => [name, values.join(' ')]),
      );
      expect(directives).toEqual({
        'default-src': "'self'",
        'script-src': "'self'",
        'style-src': "'self'",
        'img-src': "'self' data:",
        'connect-src': `'self' ${cognito}`,
        'frame-ancestors': "'none'",
        'base-uri': "'none'",
        'form-action': `'self' ${cognito}`,
      });
    },
  );

  it(
    'logs access to a private, TLS-only bucket of its own ' + 'with ACLs enabled (CloudFront log delivery needs them)',
    () => {
      const [logBucketId, logBucket] = idStartingWith('AWS::S3::Bucket', 'ConsoleAccessLogs');
      expect(distributionConfig().Logging).toMatchObject({
        Bucket: { 'Fn::GetAtt': [logBucketId, 'RegionalDomainName'] },
        IncludeCookies: false,
      });
      expect(logBucket.Properties).toMatchObject({
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerPreferred' }] },
        LifecycleConfiguration: { Rules: [expect.objectContaining({ ExpirationInDays: 365 })] },
      });
      const policies = Object.values(resourcesOf('AWS::S3::BucketPolicy')).filter(
        (p) => p.Properties.Bucket.Ref === logBucketId,
      );
      expect(
        policies
          .flatMap((p) => p.Properties.PolicyDocument.Statement as Record<string, any>[])
          .filter((s) => s.Effect === 'Allow'),
      ).toEqual([]);
    },
  );

  it('has no viewer certificate of its own by default: CFR4 is suppressed with its reason', () => {
    expect(distributionConfig().ViewerCertificate).toBeUndefined();
    const suppressed = (distribution()[1].Metadata?.cdk_nag?.rules_to_suppress ?? []) as { id: string }[];
    expect(suppressed.map((s) => s.id).sort()).toEqual(['AwsSolutions-CFR1', 'AwsSolutions-CFR2', 'AwsSolutions-CFR4']);
  });
});
