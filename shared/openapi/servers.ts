/**
 * The document's `servers`, apart from the builder so the documentation handlers can fill a
 * deployment's URL into the prebuilt document (served.ts) without loading what builds it.
 */

/** Where the local stack listens (`npm start`); a deployment's own URL comes first when known. */
export const LOCAL_SERVER_URL = 'http://localhost:3000';

export type OpenApiServers = { url: string; description: string }[];

export const serversOf = (serverUrl: string | undefined): OpenApiServers =>
  serverUrl
    ? [{ url: serverUrl, description: 'This deployment' }]
    : [{ url: LOCAL_SERVER_URL, description: 'The local stack (npm start)' }];
