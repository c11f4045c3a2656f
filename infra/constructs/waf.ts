/**
 * AWS WAF in front of the REST API stage: AWS managed rule groups and a coarse per-IP rate
 * rule. The per-client limit is the API key's usage plan (WAF can only key on IP or on the
 * whole Authorization header, i.e. per token).
 */
import { ArnFormat, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { PROBLEM_KINDS, problemBody } from '../../shared/http/problem.js';

const RATE_LIMITED_BODY = 'rateLimited';

export interface WafProps {
  /** ARN of the API Gateway stage to protect. */
  readonly stageArn: string;
  /** Prefix of the CloudWatch metric names. */
  readonly metricPrefix: string;
  /**
   * Requests one IP may send in any 5 minutes before it is blocked. A police hub or NHS
   * trust sends many users' traffic from one egress address, so this is set well above one
   * system's expected rate (per-client limits are the usage plan's job).
   * @default 1000
   */
  readonly rateLimitPer5Minutes?: number;
  /** Encrypts the WAF log group. @default - CloudWatch Logs' own encryption */
  readonly logEncryptionKey?: kms.IKey;
  /** @default logs.RetentionDays.ONE_YEAR - as the API access logs */
  readonly logRetention?: logs.RetentionDays;
}

export class Waf extends Construct {
  readonly webAcl: wafv2.CfnWebACL;
  /** Requests WAF blocked or counted (never the allowed ones: the API access log has those). */
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: WafProps) {
    super(scope, id);
    const visibility = (name: string): wafv2.CfnWebACL.VisibilityConfigProperty => ({
      cloudWatchMetricsEnabled: true,
      metricName: `${props.metricPrefix}-${name}`,
      sampledRequestsEnabled: true,
    });
    const managed = (
      priority: number,
      name: string,
      countOnly: readonly string[] = [],
    ): wafv2.CfnWebACL.RuleProperty => ({
      name,
      priority,
      // `none` keeps each group's own Block actions. Their blocks carry no custom response,
      // so API Gateway answers with its WAF_FILTERED gateway response (problem+json).
      overrideAction: { none: {} },
      statement: {
        managedRuleGroupStatement: {
          vendorName: 'AWS',
          name,
          ...(countOnly.length
            ? { ruleActionOverrides: countOnly.map((rule) => ({ name: rule, actionToUse: { count: {} } })) }
            : {}),
        },
      },
      visibilityConfig: visibility(name),
    });
    const rateLimited = problemBody(
      'too-many-requests',
      'Too many requests from this address; try again in a few minutes.',
    );

    this.webAcl = new wafv2.CfnWebACL(this, 'WebAcl', {
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      visibilityConfig: visibility('web-acl'),
      // WAF's own responses take precedence over API Gateway's, so the rate rule's block
      // gets a body of the same problem+json shape. WAF cannot label it
      // application/problem+json: APPLICATION_JSON is the nearest content type it offers.
      customResponseBodies: {
        [RATE_LIMITED_BODY]: { contentType: 'APPLICATION_JSON', content: JSON.stringify(rateLimited) },
      },
      rules: [
        // Cheapest first: known-bad addresses never reach the rate counter or the body rules.
        managed(0, 'AWSManagedRulesAmazonIpReputationList'),
        {
          name: 'RateLimitPerIp',
          priority: 1,
          // 429 with Retry-After, not 403: the caller is not forbidden, it is too fast, and
          // clients already back off on 429 from the gateway's THROTTLED response.
          action: {
            block: {
              customResponse: {
                responseCode: PROBLEM_KINDS['too-many-requests'].status,
                customResponseBodyKey: RATE_LIMITED_BODY,
                responseHeaders: [{ name: 'Retry-After', value: '300' }],
              },
            },
          },
          statement: {
            rateBasedStatement: {
              limit: props.rateLimitPer5Minutes ?? 1000,
              evaluationWindowSec: 300,
              aggregateKeyType: 'IP',
            },
          },
          visibilityConfig: visibility('rate-limit-per-ip'),
        },
        // The common set blocks bodies over 8 KB; a referral may be up to 64 KB, which the
        // handlers enforce themselves (413), so that one rule only counts.
        managed(2, 'AWSManagedRulesCommonRuleSet', ['SizeRestrictions_BODY']),
        managed(3, 'AWSManagedRulesKnownBadInputsRuleSet'),
      ],
    });

    new wafv2.CfnWebACLAssociation(this, 'Association', {
      resourceArn: props.stageArn,
      webAclArn: this.webAcl.attrArn,
    });

    // WAF logs only to log groups named aws-waf-logs-*, given by ARN without the trailing `:*`.
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      logGroupName: `aws-waf-logs-${props.metricPrefix}`,
      retention: props.logRetention ?? logs.RetentionDays.ONE_YEAR,
      ...(props.logEncryptionKey ? { encryptionKey: props.logEncryptionKey } : {}),
      removalPolicy: RemovalPolicy.RETAIN,
    });
    new wafv2.CfnLoggingConfiguration(this, 'Logging', {
      resourceArn: this.webAcl.attrArn,
      logDestinationConfigs: [
        Stack.of(this).formatArn({
          service: 'logs',
          resource: 'log-group',
          resourceName: this.logGroup.logGroupName,
          arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        }),
      ],
      // Credentials never reach the log; query strings may carry search terms.
      redactedFields: [
        { singleHeader: { Name: 'authorization' } },
        { singleHeader: { Name: 'x-api-key' } },
        { queryString: {} },
      ],
      // Blocked and counted requests only: the evidence of an attack or a false positive.
      loggingFilter: {
        DefaultBehavior: 'DROP',
        Filters: [
          {
            Behavior: 'KEEP',
            Requirement: 'MEETS_ANY',
            Conditions: [{ ActionCondition: { Action: 'BLOCK' } }, { ActionCondition: { Action: 'COUNT' } }],
          },
        ],
      },
    });
  }
}
