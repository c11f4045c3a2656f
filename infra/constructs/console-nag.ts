/**
 * cdk-nag findings of the operator console (infra/constructs/console.ts), each with why it does not apply or is
 * accepted.
 */
import { Stack, type CfnElement } from 'aws-cdk-lib';
import type * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { NagSuppressions, type NagPackSuppression } from 'cdk-nag';
import type { Construct } from 'constructs';
import { CONSOLE_PREFIX } from './console-edge.js';

/** cdk-nag findings on the distribution, each with why it does not apply or is accepted. */
export function addDistributionSuppressions(distribution: cloudfront.Distribution, customDomain: boolean): void {
  const suppressions: NagPackSuppression[] = [
    {
      id: 'AwsSolutions-CFR1',
      reason:
        'No geo restriction on purpose: partner agencies are in England, but AMHPs, bed managers and ' +
        'on-call staff sign in from wherever they are (travel, leave cover, cross-border placements). ' +
        'Access is decided by Cognito (MFA required, threat protection) and the API authorizer, and API ' +
        'calls pass the regional WAF.',
    },
    {
      // CloudFront web ACLs must be created in us-east-1, outside this single-region stack.
      id: 'AwsSolutions-CFR2',
      reason:
        "The distribution serves the console's static code, which holds no data, and forwards API calls to " +
        "the stage, where every request still passes the API's regional WAF (IP reputation, per-IP rate, " +
        'common and known-bad-input rule sets) and the Cognito authorizer. Note: for console traffic that ' +
        "WAF sees CloudFront's addresses, not the viewer's, so its per-IP rate rule counts per edge " +
        'address.',
    },
  ];
  if (!customDomain) {
    suppressions.push({
      id: 'AwsSolutions-CFR4',
      reason:
        "Without a custom domain the console is served on the distribution's *.cloudfront.net name, whose " +
        'default certificate cannot take a minimum protocol version (CloudFront fixes it at TLSv1 for that ' +
        'certificate); browsers that can run the console negotiate TLS 1.2 or 1.3 anyway. Give context ' +
        'consoleDomainName and consoleCertificateArn to serve it with TLSv1.2_2021 as the minimum.',
    });
  }
  NagSuppressions.addResourceSuppressions(distribution, suppressions);
}

/** cdk-nag findings on BucketDeployment's stack-singleton function and on our role for it. */
export function addDeployerSuppressions(
  scope: Construct,
  deployer: lambda.Function,
  role: iam.Role,
  bucket: s3.Bucket,
): void {
  const what =
    'The BucketDeployment custom-resource function (AWS CDK, Python, AWS CLI layer) that copies the ' +
    'console files into the bucket at deploy time';
  NagSuppressions.addResourceSuppressions(deployer, [
    {
      id: 'AwsSolutions-L1',
      reason:
        `${what}: its runtime is chosen and tested by the AWS CDK version the project pins, not by us; it ` +
        `moves with CDK upgrades. It runs only during CloudFormation deploys.`,
    },
    {
      id: 'HIPAA.Security-LambdaConcurrency',
      reason:
        `${what}: invoked only by CloudFormation, once per deploy that changes the console; there is no load ` +
        `to bound and reserved concurrency would only take capacity from the account pool.`,
    },
    {
      id: 'HIPAA.Security-LambdaDLQ',
      reason:
        `${what}: CloudFormation invokes it and waits for its response; a failure fails and rolls back the ` +
        `deploy, which is the signal. A DLQ would hold a copy of a CloudFormation event nobody replays.`,
    },
    {
      id: 'HIPAA.Security-LambdaInsideVPC',
      reason:
        `${what}: it reaches only S3 (the CDK asset bucket and the console bucket) and CloudFront, AWS APIs ` +
        `called over TLS with the IAM-signed, resource-scoped grants of its role; a VPC would add NAT or ` +
        `endpoints and protect no network boundary.`,
    },
  ]);
  const bucketRef = `<${Stack.of(scope).getLogicalId(bucket.node.defaultChild as CfnElement)}.Arn>`;
  NagSuppressions.addResourceSuppressions(role.node.findChild('DefaultPolicy'), [
    {
      id: 'AwsSolutions-IAM5',
      reason:
        `s3:PutObject and s3:DeleteObject on the ${CONSOLE_PREFIX} prefix of the console bucket only (object ` +
        `ARNs need a key pattern): the deployer syncs the console files there and removes ones a newer ` +
        `console no longer has. It cannot read objects, and it lists only that prefix.`,
      appliesTo: [`Resource::${bucketRef}/${CONSOLE_PREFIX}*`],
    },
    {
      id: 'HIPAA.Security-IAMNoInlinePolicy',
      reason:
        "The deployer's permissions are an inline policy of its own role on purpose: one role for this one " +
        'function, created and deleted with it, so no permission can be attached to another principal by ' +
        'mistake. Each statement names its resources (asset objects, the console prefix, the distribution).',
    },
  ]);
}
