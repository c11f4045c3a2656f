/** The shapes of the OpenAPI 3.1 document the Hub generates (split from document.ts). */

export type JsonSchema = { [keyword: string]: unknown };

export interface OpenApiHeader {
  description?: string;
  required?: boolean;
  schema: JsonSchema;
}

export interface OpenApiParameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required: boolean;
  description?: string;
  schema: JsonSchema;
  style?: string;
  explode?: boolean;
}

export interface OpenApiExample {
  summary?: string;
  description?: string;
  value: unknown;
}

export interface OpenApiMediaType {
  schema?: JsonSchema;
  example?: unknown;
  examples?: Record<string, OpenApiExample>;
}

export interface OpenApiResponse {
  description: string;
  headers?: Record<string, OpenApiHeader | { $ref: string }>;
  content?: Record<string, OpenApiMediaType>;
}

export interface OpenApiWebhookOperation {
  operationId: string;
  summary: string;
  description: string;
  tags: string[];
  security: SecurityRequirement[];
  parameters: OpenApiParameter[];
  requestBody: { required: true; content: Record<string, OpenApiMediaType> };
  responses: Record<string, OpenApiResponse>;
}

export type SecurityRequirement = Record<string, string[]>;

export interface OpenApiOperation {
  operationId: string;
  summary: string;
  description: string;
  tags: string[];
  /** `[]` on public routes; otherwise one requirement per accepted scope (any one suffices). */
  security: SecurityRequirement[];
  deprecated?: boolean;
  'x-roles'?: string[];
  'x-caller'?: 'any' | 'person' | 'system';
  'x-throttle': { rateLimit: number; burstLimit: number };
  'x-sunset'?: string;
  parameters: OpenApiParameter[];
  requestBody?: { required: boolean; content: Record<string, OpenApiMediaType> };
  responses: Record<string, OpenApiResponse>;
}

export type OpenApiPathItem = Partial<Record<'get' | 'post' | 'put' | 'patch' | 'delete', OpenApiOperation>>;

export interface OAuthFlow {
  authorizationUrl?: string;
  tokenUrl: string;
  refreshUrl?: string;
  scopes: Record<string, string>;
}

export interface OpenApiDocument {
  openapi: '3.1.0';
  info: {
    title: string;
    version: string;
    description: string;
    contact?: { name: string; url?: string };
    license: { name: string; identifier?: string; url?: string };
  };
  servers: { url: string; description?: string }[];
  tags: { name: string; description: string }[];
  paths: Record<string, OpenApiPathItem>;
  /** The messages the Hub POSTs to a referrer's subscription URL, one per feedback type (events/schemas). */
  webhooks: Record<string, { post: OpenApiWebhookOperation }>;
  components: {
    schemas: Record<string, JsonSchema>;
    headers: Record<string, OpenApiHeader>;
    securitySchemes: {
      oauth2: {
        type: 'oauth2';
        description: string;
        flows: { clientCredentials: OAuthFlow; authorizationCode: OAuthFlow };
      };
      apiKey: { type: 'apiKey'; in: 'header'; name: string; description: string };
    };
  };
}

export interface OpenApiOptions {
  /** Base URL of the API (with any stage prefix); defaults to the local stack and a relative `/`. */
  serverUrl?: string;
  version: string;
  /** Defaults to `/oauth2/token`. */
  tokenUrl?: string;
  /** Defaults to `/oauth2/authorize`. */
  authorizationUrl?: string;
}
