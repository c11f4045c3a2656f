/**
 * The operator console in AWS: the static files `console/build.ts` builds, in a private S3
 * bucket behind CloudFront (origin access control), at `/console/`, with the REST API on the
 * SAME origin (`/v1/*`, `/health`, `/openapi.json`, `/docs` forwarded to the stage uncached).
 * The page calls relative `/v1/...` URLs exactly as on the local stack, so no CORS is needed,
 * and signs people in through the Cognito hosted UI (authorization code + PKCE) with the
 * settings of the `config.json` deployed beside it.
 *
 * Every API call through the console still passes the API's regional WAF and the Cognito
 * authorizer: CloudFront adds an edge, not a way around either.
 */
import { AssetHashType, DockerImage, Duration, Stack, type CfnElement } from 'aws-cdk-lib';
import type * as apigateway from 'aws-cdk-lib/aws-apigateway';
import type * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3assets from 'aws-cdk-lib/aws-s3-assets';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import { NagSuppressions, type NagPackSuppression } from 'cdk-nag';
import { Construct } from 'constructs';
import { PRIVATE_BUCKET } from './buckets.js';
import { buildConsoleSync, CONSOLE_DIR, type ConsoleConfig } from '../../console/build.js';
import { ROUTES, type RouteDef } from '../../functions/routes.js';
import type { Data } from './data.js';
import type { Identity } from './identity.js';

/** Where the console lives on the distribution and in the bucket (no leading slash). */
export const CONSOLE_PREFIX = 'console/';

/**
 * The distribution's path patterns that go to the API, from the ONE route table: `/v1/*` for
 * every versioned route, `/fhir/R4/*` for the FHIR facade, and each unversioned route (health, API
 * description, docs) by its path.
 */
export const apiPathPatterns = (routes: readonly RouteDef[] = ROUTES as readonly RouteDef[]): string[] => {
  const patterns = new Set<string>();
  for (const { path } of routes) {
    // The FHIR facade's base (/fhir/R4) is a version of its own: one pattern for its resources.
    const version = /^\/(v\d+|fhir\/R4)\//.exec(path)?.[1];
    if (version) patterns.add(`/${version}/*`);
    else if (path.includes('{')) throw new Error(`Route ${path}: an unversioned route with a path parameter has no CloudFront path pattern`);
    else if (path === '/' || `${path}/` === `/${CONSOLE_PREFIX}` || path.startsWith(`/${CONSOLE_PREFIX}`)) throw new Error(`Route ${path} would shadow the console`);
    else patterns.add(path);
  }
  return [...patterns].sort();
};

/**
 * Viewer-request function of the console behaviour: `/` and `/console` redirect to
 * `/console/`, `/console/` is its index document, and nothing outside `/console/` reaches the
 * bucket (S3 would answer 403 for a key it does not hold; 404 says what happened).
 */
/**
 * The viewer-request function of the console's paths. With a custom name, a request on any
 * other name (the distribution's own *.cloudfront.net) is sent to it: sign-in redirects to the
 * one URL config.json names, and the PKCE verifier waits in that origin's storage only.
 */
export const viewerRequestCode = (canonicalHost?: string): string => `function handler(event) {
  var request = event.request;
  var uri = request.uri;
${
  canonicalHost
    ? `  var host = request.headers.host && request.headers.host.value;
  if (host !== ${JSON.stringify(canonicalHost)}) {
    return { statusCode: 301, statusDescription: 'Moved Permanently', headers: { location: { value: 'https://' + ${JSON.stringify(canonicalHost)} + (uri === '/' || uri === '/console' ? '/console/' : uri) } } };
  }
`
    : ''
}  if (uri === '/' || uri === '/console') {
    return { statusCode: 301, statusDescription: 'Moved Permanently', headers: { location: { value: '/console/' } } };
  }
  if (uri === '/console/') {
    request.uri = '/console/index.html';
    return request;
  }
  if (uri.indexOf('/console/') !== 0) {
    return { statusCode: 404, statusDescription: 'Not Found' };
  }
  return request;
}`;

export interface OperatorConsoleProps {
  /** The access-logs bucket (server access logs of both buckets here) and the key of the deployer's log group. */
  readonly data: Data;
  /** The API served on the same origin under its route paths. */
  readonly restApi: apigateway.RestApiBase;
  /** The people app client and the Cognito domain people sign in through. */
  readonly identity: Identity;
  /**
   * The people client's API key (Api.peopleApiKeyValue), served in config.json and sent by the
   * console as `x-api-key` on every API call, so the console works while keys are required. It
   * is in every visitor's browser, which is fine: an API key only picks the usage plan (rate
   * limits); authentication is the Cognito token. @default - none (calls carry no key)
   */
  readonly apiKey?: string;
  /** @default ROUTES - decides which paths go to the API (see apiPathPatterns) */
  readonly routes?: readonly RouteDef[];
  /**
   * Custom host names of the console (e.g. `hub-console.example.nhs.uk`), each covered by
   * `certificate`. Without them the console is at the distribution's `*.cloudfront.net`
   * name, where CloudFront's default certificate cannot enforce a minimum TLS version.
   * @default - the distribution's own domain name
   */
  readonly domainNames?: readonly string[];
  /** ACM certificate in us-east-1 for `domainNames` (required with them). @default - none */
  readonly certificate?: acm.ICertificate;
  /**
   * Partner agencies are in England: Europe and North America edge locations are enough.
   * @default cloudfront.PriceClass.PRICE_CLASS_100
   */
  readonly priceClass?: cloudfront.PriceClass;
  /** Days CloudFront's access logs are kept. @default 365 - as the API access logs */
  readonly accessLogDays?: number;
  /** The deployer function's logs. @default logs.RetentionDays.THREE_MONTHS - as the Hub functions' */
  readonly deployerLogRetention?: logs.RetentionDays;
}

export class OperatorConsole extends Construct {
  /** The console's files, under `console/`; readable only by the distribution. */
  readonly bucket: s3.Bucket;
  /** CloudFront's standard access logs (ACLs enabled: the one thing CloudFront logging requires). */
  readonly accessLogsBucket: s3.Bucket;
  readonly distribution: cloudfront.Distribution;
  /** CSP, HSTS, nosniff, no referrer, no framing: on every console response. */
  readonly securityHeaders: cloudfront.ResponseHeadersPolicy;
  /** Copies the files and `config.json` into the bucket and invalidates `/console/*`. */
  readonly deployment: s3deploy.BucketDeployment;
  /** The deployment's (stack-singleton) function, for monitoring. */
  readonly deployer: lambda.IFunction;
  /** `https://<domain>/console/`: what people open, and the people client's callback URL. */
  readonly url: string;
  /** The Cognito hosted UI origin people sign in at (`https://<prefix>.auth.<region>.amazoncognito.com`). */
  readonly signInOrigin: string;

  constructor(scope: Construct, id: string, props: OperatorConsoleProps) {
    super(scope, id);
    const { data, identity } = props;
    if (props.domainNames?.length && !props.certificate) throw new Error('OperatorConsole: domainNames need a certificate (ACM, us-east-1)');
    if (props.certificate && !props.domainNames?.length) throw new Error('OperatorConsole: a certificate needs domainNames');
    const customDomain = Boolean(props.certificate);

    // SSE-S3, not the Hub data key: the files are the public code of the console (anyone who
    // opens the page downloads them), and CloudFront reading an SSE-KMS bucket through OAC
    // would need the data key's policy to let cloudfront.amazonaws.com decrypt, i.e. a path
    // from an edge service to the key of the identifiable data. Nothing secret is stored here.
    this.bucket = new s3.Bucket(this, 'Bucket', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      ...PRIVATE_BUCKET,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      // Every deploy overwrites the same four keys: versions let an operator put back the
      // previous console by hand, and are cost only after a month.
      versioned: true,
      lifecycleRules: [{ id: 'OldConsoleVersions', noncurrentVersionExpiration: Duration.days(30), abortIncompleteMultipartUploadAfter: Duration.days(1) }],
      ...data.serverAccessLogs('console/'),

    });
    NagSuppressions.addResourceSuppressions(this.bucket, [
      {
        id: 'HIPAA.Security-S3DefaultEncryptionKMS',
        reason:
          'The bucket holds only the console static code (HTML, one script, one stylesheet) and config.json (public client id and Cognito URLs), all of which every visitor downloads. SSE-S3 keeps it encrypted at rest; SSE-KMS with the Hub data key would require letting CloudFront decrypt with the key that protects identifiable data.',
      },
      {
        id: 'HIPAA.Security-S3BucketReplicationEnabled',
        reason:
          'Rebuilt and redeployed from the repository on every deploy (BucketDeployment), and versioned; a cross-region copy of public static code would add a second bucket to secure for no recovery need.',
      },
    ]);

    // CloudFront standard logs need ACLs on the target bucket (CloudFront's log delivery account
    // is granted by ACL), which the Hub's access-logs bucket refuses (BUCKET_OWNER_ENFORCED), so
    // they get their own bucket. They are the only record of who opened the console: for API
    // calls through CloudFront, API Gateway's access log and WAF see CloudFront's addresses,
    // not the viewer's. CloudFront writes query strings, so a log line can hold an API query
    // (referral ids and references, never names) or the one-use, PKCE-bound authorization code
    // of a sign-in; both are why this bucket is private, TLS-only and expires its logs.
    this.accessLogsBucket = new s3.Bucket(this, 'AccessLogs', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      ...PRIVATE_BUCKET,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
      versioned: true,
      lifecycleRules: [
        {
          id: 'ExpireAccessLogs',
          expiration: Duration.days(props.accessLogDays ?? 365),
          noncurrentVersionExpiration: Duration.days(30),
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
      ],
      ...data.serverAccessLogs('console-cdn-logs/'),

    });
    NagSuppressions.addResourceSuppressions(this.accessLogsBucket, [
      {
        id: 'HIPAA.Security-S3DefaultEncryptionKMS',
        reason:
          'CloudFront standard log delivery writes with its own log-delivery account: with SSE-KMS that account would need the key policy of a Hub key. SSE-S3 is the encryption CloudFront logging supports without that; the logs hold request lines (paths, ids, addresses), not referral contents.',
      },
      {
        id: 'HIPAA.Security-S3BucketReplicationEnabled',
        reason:
          'Single-region service by design (eu-west-2); access logs are operational records kept for a year, replicated across availability zones by S3 itself; a cross-region copy would add a second place to secure for no recovery need.',
      },
    ]);

    this.signInOrigin = identity.domain.baseUrl();
    this.securityHeaders = new cloudfront.ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: 'AMHP Referral Hub console: strict CSP, HSTS, no framing, no referrer',
      securityHeadersBehavior: {
        contentSecurityPolicy: { contentSecurityPolicy: consoleCsp(this.signInOrigin), override: true },
        strictTransportSecurity: { accessControlMaxAge: Duration.days(730), includeSubdomains: true, override: true },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: cloudfront.HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: cloudfront.HeadersReferrerPolicy.NO_REFERRER, override: true },
      },
    });

    // Browsers revalidate every file on each load (Cache-Control: no-cache on the objects, an
    // ETag 304 costs a few hundred bytes): the names are not content-hashed, so a cached
    // app.js could otherwise run against a newer index.html or config.json after a deploy.
    // The edge keeps them for a day regardless (a minimum TTL above 0 overrides no-cache), and
    // each deploy invalidates /console/* before it completes.
    const filesCachePolicy = new cloudfront.CachePolicy(this, 'FilesCache', {
      comment: 'AMHP Referral Hub console files: cached at the edge until the next deploy invalidates them',
      minTtl: Duration.days(1),
      defaultTtl: Duration.days(1),
      maxTtl: Duration.days(1),
      cookieBehavior: cloudfront.CacheCookieBehavior.none(),
      headerBehavior: cloudfront.CacheHeaderBehavior.none(),
      // The sign-in callback's ?code=&state= never reaches S3 and never splits the cache.
      queryStringBehavior: cloudfront.CacheQueryStringBehavior.none(),
      enableAcceptEncodingGzip: true,
      enableAcceptEncodingBrotli: true,
    });

    const viewerRequest = new cloudfront.Function(this, 'ViewerRequest', {
      comment: 'Console paths: / and /console to /console/, index document, 404 outside /console/',
      code: cloudfront.FunctionCode.fromInline(viewerRequestCode(props.certificate ? props.domainNames?.[0] : undefined)),
      runtime: cloudfront.FunctionRuntime.JS_2_0,
    });

    // The API behaviours: nothing cached (responses are per caller and every read is audited),
    // every viewer header but Host forwarded. With caching disabled that includes Authorization
    // and x-api-key; Host must be the stage's own for API Gateway to route the request.
    // CloudFront connects to the stage over TLS 1.2 only (RestApiOrigin). The API sets its own
    // security headers, so no response headers policy is applied there.
    const apiOrigin = new origins.RestApiOrigin(props.restApi);
    const apiBehavior: cloudfront.BehaviorOptions = {
      origin: apiOrigin,
      allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
      cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
      originRequestPolicy: cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
      // A redirect would send a POST's token over plain HTTP first: refuse instead.
      viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
    };

    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: `${Stack.of(this).stackName}: operator console and API`,
      defaultBehavior: {
        origin: origins.S3BucketOrigin.withOriginAccessControl(this.bucket),
        allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD,
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        cachePolicy: filesCachePolicy,
        responseHeadersPolicy: this.securityHeaders,
        functionAssociations: [{ function: viewerRequest, eventType: cloudfront.FunctionEventType.VIEWER_REQUEST }],
        compress: true,
      },
      additionalBehaviors: Object.fromEntries(apiPathPatterns(props.routes).map((pattern) => [pattern, apiBehavior])),
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      priceClass: props.priceClass ?? cloudfront.PriceClass.PRICE_CLASS_100,
      ...(customDomain
        ? {
            domainNames: [...props.domainNames!],
            certificate: props.certificate!,
            minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
            sslSupportMethod: cloudfront.SSLMethod.SNI,
          }
        : {}),
      enableLogging: true,
      logBucket: this.accessLogsBucket,
      logFilePrefix: 'cloudfront/',
      logIncludesCookies: false,
    });
    this.addDistributionSuppressions(customDomain);

    const host = customDomain ? props.domainNames![0]! : this.distribution.distributionDomainName;
    this.url = `https://${host}/${CONSOLE_PREFIX}`;

    const config = {
      mode: 'cognito',
      authorizeUrl: `${this.signInOrigin}/oauth2/authorize`,
      tokenUrl: `${this.signInOrigin}/oauth2/token`,
      logoutUrl: `${this.signInOrigin}/logout`,
      clientId: identity.peopleClient.userPoolClientId,
      redirectUri: this.url,
      scopes: [...identity.peopleScopes],
      ...(props.apiKey ? { apiKey: props.apiKey } : {}),
    } satisfies ConsoleConfig;

    const { deployment, deployer } = this.deploy(config, props);
    this.deployment = deployment;
    this.deployer = deployer;
  }

  /**
   * The BucketDeployment, with a role of our own whose policy names exactly what the deployer
   * does (see below) instead of the one BucketDeployment would grant itself.
   */
  private deploy(config: ConsoleConfig, props: OperatorConsoleProps): { deployment: s3deploy.BucketDeployment; deployer: lambda.IFunction } {
    const logGroup = new logs.LogGroup(this, 'DeployerLogs', {
      retention: props.deployerLogRetention ?? logs.RetentionDays.THREE_MONTHS,
      encryptionKey: props.data.key,
    });
    const role = new iam.Role(this, 'DeployerRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Deploys the operator console files (${this.node.path})`.slice(0, 1000),
    });
    logGroup.grantWrite(role);

    // BucketDeployment grants its function `bucket.grantReadWrite` (s3:GetObject*, s3:List*,
    // s3:DeleteObject*, s3:Abort* ... on the whole bucket), `asset.grantRead` on the whole CDK
    // asset bucket, and CloudFront invalidation on Resource "*". Given the role through
    // `withoutPolicyUpdates()`, those grants are dropped, and the role gets only what the
    // handler's `aws s3 cp`, `aws s3 sync --delete` and invalidation calls need. If a future
    // CDK version makes the handler do more, the deploy fails with AccessDenied: loudly, never
    // with wider rights.
    const deployment = new s3deploy.BucketDeployment(this, 'Deployment', {
      sources: [
        s3deploy.Source.asset(CONSOLE_DIR, {
          // The bundle's own hash: the console may import code from outside console/.
          assetHashType: AssetHashType.OUTPUT,
          bundling: {
            local: {
              tryBundle(outputDir: string): boolean {
                buildConsoleSync(outputDir);
                return true;
              },
            },
            // Never pulled: local bundling (esbuild in this process) always succeeds or throws.
            image: DockerImage.fromRegistry('unused'),
          },
        }),
        s3deploy.Source.jsonData('config.json', config),
      ],
      destinationBucket: this.bucket,
      destinationKeyPrefix: CONSOLE_PREFIX,
      // Files of an older console that this one no longer has are removed.
      prune: true,
      cacheControl: [s3deploy.CacheControl.noCache()],
      distribution: this.distribution,
      distributionPaths: [`/${CONSOLE_PREFIX}*`],
      role: role.withoutPolicyUpdates(),
      logGroup,
    });

    const assets = deployment.node.children.filter((child): child is s3assets.Asset => child instanceof s3assets.Asset);
    if (assets.length !== 2) throw new Error(`OperatorConsole: expected the files and config.json assets, found ${assets.length}`);
    const bucket = this.bucket;
    const objects = bucket.arnForObjects(`${CONSOLE_PREFIX}*`);
    const distributionArn = Stack.of(this).formatArn({
      service: 'cloudfront',
      region: '',
      resource: 'distribution',
      resourceName: this.distribution.distributionId,
    });
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'ReadTheConsoleAssets',
        actions: ['s3:GetObject'],
        resources: assets.map((asset) => asset.bucket.arnForObjects(asset.s3ObjectKey)),
      }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'ListTheConsolePrefix',
        actions: ['s3:ListBucket'],
        resources: [bucket.bucketArn],
        conditions: { StringLike: { 's3:prefix': [`${CONSOLE_PREFIX}*`] } },
      }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({ sid: 'WriteTheConsoleFiles', actions: ['s3:PutObject', 's3:DeleteObject'], resources: [objects] }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'InvalidateTheConsole',
        actions: ['cloudfront:CreateInvalidation', 'cloudfront:GetInvalidation'],
        resources: [distributionArn],
      }),
    );
    // The custom resource runs only once the policy exists (the function depends on the role).
    deployment.node.addDependency(role);

    const deployer = Stack.of(this)
      .node.findAll()
      .find((c): c is lambda.Function => c instanceof lambda.Function && c.role === deployment.handlerRole);
    if (!deployer) throw new Error('OperatorConsole: the BucketDeployment function was not found');
    this.addDeployerSuppressions(deployer, role, bucket);
    return { deployment, deployer };
  }

  /** cdk-nag findings on the distribution, each with why it does not apply or is accepted. */
  private addDistributionSuppressions(customDomain: boolean): void {
    const suppressions: NagPackSuppression[] = [
      {
        id: 'AwsSolutions-CFR1',
        reason:
          'No geo restriction on purpose: partner agencies are in England, but AMHPs, bed managers and on-call staff sign in from wherever they are (travel, leave cover, cross-border placements). Access is decided by Cognito (MFA required, threat protection) and the API authorizer, and API calls pass the regional WAF.',
      },
      {
        // CloudFront web ACLs must be created in us-east-1, outside this single-region stack.
        id: 'AwsSolutions-CFR2',
        reason:
          "The distribution serves the console's static code, which holds no data, and forwards API calls to the stage, where every request still passes the API's regional WAF (IP reputation, per-IP rate, common and known-bad-input rule sets) and the Cognito authorizer. Note: for console traffic that WAF sees CloudFront's addresses, not the viewer's, so its per-IP rate rule counts per edge address.",
      },
    ];
    if (!customDomain) {
      suppressions.push({
        id: 'AwsSolutions-CFR4',
        reason:
          "Without a custom domain the console is served on the distribution's *.cloudfront.net name, whose default certificate cannot take a minimum protocol version (CloudFront fixes it at TLSv1 for that certificate); browsers that can run the console negotiate TLS 1.2 or 1.3 anyway. Give context consoleDomainName and consoleCertificateArn to serve it with TLSv1.2_2021 as the minimum.",
      });
    }
    NagSuppressions.addResourceSuppressions(this.distribution, suppressions);
  }

  /** cdk-nag findings on BucketDeployment's stack-singleton function and on our role for it. */
  private addDeployerSuppressions(deployer: lambda.Function, role: iam.Role, bucket: s3.Bucket): void {
    const what = 'The BucketDeployment custom-resource function (AWS CDK, Python, AWS CLI layer) that copies the console files into the bucket at deploy time';
    NagSuppressions.addResourceSuppressions(deployer, [
      {
        id: 'AwsSolutions-L1',
        reason: `${what}: its runtime is chosen and tested by the AWS CDK version the project pins, not by us; it moves with CDK upgrades. It runs only during CloudFormation deploys.`,
      },
      {
        id: 'HIPAA.Security-LambdaConcurrency',
        reason: `${what}: invoked only by CloudFormation, once per deploy that changes the console; there is no load to bound and reserved concurrency would only take capacity from the account pool.`,
      },
      {
        id: 'HIPAA.Security-LambdaDLQ',
        reason: `${what}: CloudFormation invokes it and waits for its response; a failure fails and rolls back the deploy, which is the signal. A DLQ would hold a copy of a CloudFormation event nobody replays.`,
      },
      {
        id: 'HIPAA.Security-LambdaInsideVPC',
        reason: `${what}: it reaches only S3 (the CDK asset bucket and the console bucket) and CloudFront, AWS APIs called over TLS with the IAM-signed, resource-scoped grants of its role; a VPC would add NAT or endpoints and protect no network boundary.`,
      },
    ]);
    const bucketRef = `<${Stack.of(this).getLogicalId(bucket.node.defaultChild as CfnElement)}.Arn>`;
    NagSuppressions.addResourceSuppressions(role.node.findChild('DefaultPolicy'), [
      {
        id: 'AwsSolutions-IAM5',
        reason: `s3:PutObject and s3:DeleteObject on the ${CONSOLE_PREFIX} prefix of the console bucket only (object ARNs need a key pattern): the deployer syncs the console files there and removes ones a newer console no longer has. It cannot read objects, and it lists only that prefix.`,
        appliesTo: [`Resource::${bucketRef}/${CONSOLE_PREFIX}*`],
      },
      {
        id: 'HIPAA.Security-IAMNoInlinePolicy',
        reason:
          "The deployer's permissions are an inline policy of its own role on purpose: one role for this one function, created and deleted with it, so no permission can be attached to another principal by mistake. Each statement names its resources (asset objects, the console prefix, the distribution).",
      },
    ]);
  }
}

/**
 * The console's Content-Security-Policy: its own origin for everything, plus the Cognito
 * domain for the token request (connect-src) and a sign-out form (form-action).
 */
export const consoleCsp = (signInOrigin: string): string =>
  [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    `connect-src 'self' ${signInOrigin}`,
    "frame-ancestors 'none'",
    "base-uri 'none'",
    `form-action 'self' ${signInOrigin}`,
  ].join('; ');
