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
import { AssetHashType, DockerImage, Duration, Stack } from 'aws-cdk-lib';
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
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';
import { PRIVATE_BUCKET } from './buckets.js';
import { buildConsoleSync, CONSOLE_DIR, type ConsoleConfig } from '../../console/build.js';
import type { RouteDef } from '../../functions/routes.js';
import { apiPathPatterns, CONSOLE_PREFIX, consoleCsp, viewerRequestCode } from './console-edge.js';
import { addDeployerSuppressions, addDistributionSuppressions } from './console-nag.js';
import type { Data } from './data.js';
import type { Identity } from './identity.js';

export { apiPathPatterns, CONSOLE_PREFIX, consoleCsp, viewerRequestCode } from './console-edge.js';

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
    if (props.domainNames?.length && !props.certificate)
      throw new Error('OperatorConsole: domainNames need a certificate (ACM, us-east-1)');
    if (props.certificate && !props.domainNames?.length)
      throw new Error('OperatorConsole: a certificate needs domainNames');
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
      lifecycleRules: [
        {
          id: 'OldConsoleVersions',
          noncurrentVersionExpiration: Duration.days(30),
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
      ],
      ...data.serverAccessLogs('console/'),
    });
    NagSuppressions.addResourceSuppressions(this.bucket, [
      {
        id: 'HIPAA.Security-S3DefaultEncryptionKMS',
        reason:
          'The bucket holds only the console static code (HTML, one script, one stylesheet) and ' +
          'config.json (public client id and Cognito URLs), all of which every visitor downloads. SSE-S3 ' +
          'keeps it encrypted at rest; SSE-KMS with the Hub data key would require letting CloudFront ' +
          'decrypt with the key that protects identifiable data.',
      },
      {
        id: 'HIPAA.Security-S3BucketReplicationEnabled',
        reason:
          'Rebuilt and redeployed from the repository on every deploy (BucketDeployment), and versioned; a ' +
          'cross-region copy of public static code would add a second bucket to secure for no recovery ' +
          'need.',
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
          'CloudFront standard log delivery writes with its own log-delivery account: with SSE-KMS that ' +
          'account would need the key policy of a Hub key. SSE-S3 is the encryption CloudFront logging ' +
          'supports without that; the logs hold request lines (paths, ids, addresses), not referral ' +
          'contents.',
      },
      {
        id: 'HIPAA.Security-S3BucketReplicationEnabled',
        reason:
          'Single-region service by design (eu-west-2); access logs are operational records kept for a ' +
          'year, replicated across availability zones by S3 itself; a cross-region copy would add a second ' +
          'place to secure for no recovery need.',
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
      code: cloudfront.FunctionCode.fromInline(
        viewerRequestCode(props.certificate ? props.domainNames?.[0] : undefined),
      ),
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
    addDistributionSuppressions(this.distribution, customDomain);

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
  private deploy(
    config: ConsoleConfig,
    props: OperatorConsoleProps,
  ): { deployment: s3deploy.BucketDeployment; deployer: lambda.IFunction } {
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
    if (assets.length !== 2)
      throw new Error(`OperatorConsole: expected the files and config.json assets, found ${assets.length}`);
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
      new iam.PolicyStatement({
        sid: 'WriteTheConsoleFiles',
        actions: ['s3:PutObject', 's3:DeleteObject'],
        resources: [objects],
      }),
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
    addDeployerSuppressions(this, deployer, role, bucket);
    return { deployment, deployer };
  }
}
