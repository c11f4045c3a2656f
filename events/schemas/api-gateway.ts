/**
 * The API Gateway REST (v1 proxy) event a route handler receives, with the Cognito authorizer's
 * claims (every value a string). Only what the Hub relies on is closed; the rest is open.
 */
import * as z from 'zod/mini';
import './zod-locale.js';

const StringMap = z.record(z.string(), z.string());
const MultiMap = z.record(z.string(), z.array(z.string()));

export const ApiGatewayProxyEvent = z.object({
  resource: z.string(),
  path: z.string(),
  httpMethod: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']),
  headers: StringMap,
  multiValueHeaders: MultiMap,
  queryStringParameters: z.nullable(StringMap),
  multiValueQueryStringParameters: z.nullable(MultiMap),
  pathParameters: z.nullable(StringMap),
  stageVariables: z.nullable(StringMap),
  body: z.nullable(z.string()),
  isBase64Encoded: z.boolean(),
  requestContext: z.looseObject({
    accountId: z.string(),
    apiId: z.string(),
    authorizer: z.optional(z.object({ claims: StringMap })),
    httpMethod: z.string(),
    identity: z.looseObject({ sourceIp: z.string() }),
    path: z.string(),
    protocol: z.string(),
    requestId: z.string(),
    requestTimeEpoch: z.number(),
    resourceId: z.string(),
    resourcePath: z.string(),
    stage: z.string(),
  }),
});
export type ApiGatewayProxyEvent = z.infer<typeof ApiGatewayProxyEvent>;
