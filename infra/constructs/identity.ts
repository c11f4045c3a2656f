/**
 * Who may call the Hub: a Cognito user pool with the `hub` resource server, one machine app
 * client per partner system (client credentials) and one app client for people
 * (authorization code + PKCE). Cognito does not allow both grants on one client.
 */
import { Aws, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import {
  fullScope,
  RESOURCE_SERVER,
  ROLE_SCOPES,
  ROLES,
  SCOPES,
  type Role,
  type Scope,
} from '../../shared/identity/roles.js';

export interface MachineClientDef {
  /** The registry's `clientId`; becomes the app client's name (Cognito generates the id). */
  readonly clientId: string;
  readonly role: Role;
  readonly extraScopes?: readonly Scope[];
}

export interface IdentityProps {
  /** One app client each (registry `clients`). */
  readonly machineClients: readonly MachineClientDef[];
  /** Name of the people app client (registry `peopleClientId`). */
  readonly peopleClientName: string;
  /** Where the console receives the authorization code. */
  readonly callbackUrls: readonly string[];
  readonly logoutUrls: readonly string[];
  /**
   * Prefix of the Cognito domain that serves `/oauth2/token` and the sign-in pages; unique per
   * region across AWS.
   * @default `<stack name>-<account id>`
   */
  readonly domainPrefix?: string;
  /**
   * PLUS adds threat protection (compromised credentials, risky sign-ins) for people. People
   * here open identifiable mental health referrals, and the plan is billed per active person,
   * of whom the Hub has few.
   * @default cognito.FeaturePlan.PLUS
   */
  readonly featurePlan?: cognito.FeaturePlan;
  /** @default Duration.hours(1) - a partner system caches its token; each token request is billed */
  readonly machineAccessTokenValidity?: Duration;
}

export class Identity extends Construct {
  readonly userPool: cognito.UserPool;
  readonly resourceServer: cognito.UserPoolResourceServer;
  readonly domain: cognito.UserPoolDomain;
  /** Machine app clients by registry `clientId`. */
  readonly machineClients: ReadonlyMap<string, cognito.UserPoolClient>;
  readonly peopleClient: cognito.UserPoolClient;
  /** The OAuth scopes the people client may request: `openid` and every role's `hub/...` scopes. */
  readonly peopleScopes: readonly string[];
  /** `https://<prefix>.auth.<region>.amazoncognito.com/oauth2/token`. */
  readonly tokenEndpoint: string;

  constructor(scope: Construct, id: string, props: IdentityProps) {
    super(scope, id);
    const featurePlan = props.featurePlan ?? cognito.FeaturePlan.PLUS;

    this.userPool = new cognito.UserPool(this, 'UserPool', {
      // People are created by the service's administrators from the registry, never by themselves.
      selfSignUpEnabled: false,
      signInAliases: { username: true, email: true },
      signInCaseSensitive: false,
      // Identifiable health data: every person uses a second factor (authenticator app; SMS
      // is weaker and costs per message).
      mfa: cognito.Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      passwordPolicy: {
        minLength: 14,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      featurePlan,
      ...(featurePlan === cognito.FeaturePlan.PLUS
        ? { standardThreatProtectionMode: cognito.StandardThreatProtectionMode.FULL_FUNCTION }
        : {}),
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.resourceServer = this.userPool.addResourceServer('ResourceServer', {
      identifier: RESOURCE_SERVER,
      userPoolResourceServerName: 'AMHP Referral Hub API',
      scopes: SCOPES.map(
        (scopeName) => new cognito.ResourceServerScope({ scopeName, scopeDescription: `Hub scope ${scopeName}` }),
      ),
    });
    // Literal `hub/<scope>` names (the ones API Gateway methods list), not references to the
    // resource server; each client therefore depends on the server explicitly below.
    const oauthScope = (scope: Scope) => cognito.OAuthScope.custom(fullScope(scope));

    const machineClients = new Map<string, cognito.UserPoolClient>();
    for (const client of props.machineClients) {
      const scopes = unique([...ROLE_SCOPES[client.role], ...(client.extraScopes ?? [])]);
      const appClient = this.userPool.addClient(`Client-${client.clientId}`, {
        userPoolClientName: client.clientId,
        generateSecret: true,
        oAuth: { flows: { clientCredentials: true }, scopes: scopes.map(oauthScope) },
        accessTokenValidity: props.machineAccessTokenValidity ?? Duration.hours(1),
        enableTokenRevocation: true,
      });
      // No user sign-in through a partner system's client: without an explicit list Cognito
      // enables SRP and custom auth, and CDK renders no list when every flow is off.
      (appClient.node.defaultChild as cognito.CfnUserPoolClient).explicitAuthFlows = ['ALLOW_REFRESH_TOKEN_AUTH'];
      machineClients.set(client.clientId, appClient);
    }
    this.machineClients = machineClients;

    // A person's role decides what they may do (the handler checks it against the registry);
    // the one people client offers every role's scopes. `extracts.records` is never a role
    // scope (ROLE_SCOPES), so no person can request record-level extracts.
    const peopleScopes = unique(ROLES.flatMap((role) => ROLE_SCOPES[role]));
    this.peopleScopes = [cognito.OAuthScope.OPENID.scopeName, ...peopleScopes.map(fullScope)];
    this.peopleClient = this.userPool.addClient('PeopleClient', {
      userPoolClientName: props.peopleClientName,
      // A browser app cannot keep a secret: a public client, and the console uses PKCE.
      generateSecret: false,
      authFlows: { userSrp: true },
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [cognito.OAuthScope.OPENID, ...peopleScopes.map(oauthScope)],
        callbackUrls: [...props.callbackUrls],
        logoutUrls: [...props.logoutUrls],
      },
      supportedIdentityProviders: [cognito.UserPoolClientIdentityProvider.COGNITO],
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      // One shift: a person signs in again at the start of the next.
      refreshTokenValidity: Duration.hours(12),
    });

    for (const client of [...machineClients.values(), this.peopleClient])
      client.node.addDependency(this.resourceServer);

    this.domain = this.userPool.addDomain('Domain', {
      cognitoDomain: {
        domainPrefix: props.domainPrefix ?? `${Stack.of(this).stackName.toLowerCase()}-${Aws.ACCOUNT_ID}`,
      },
    });
    this.tokenEndpoint = `${this.domain.baseUrl()}/oauth2/token`;
  }
}

const unique = <T>(values: readonly T[]): T[] => [...new Set(values)];
