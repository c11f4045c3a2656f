/**
 * Registry items in `hub`: organisations, machine clients, people, the served LSSAs and the
 * AMHP register. Key shapes live here and nowhere else.
 */
import { BatchGetCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Role, Scope } from '../identity/roles.js';
import type { Organisation } from '../schemas/registry.js';
import { ddb, tableName } from './client.js';
import { PK, SK } from './tables.js';

export const registryKeys = {
  organisation: (organisationId: string) => ({ [PK]: `ORG#${organisationId}`, [SK]: 'PROFILE' }),
  client: (clientId: string) => ({ [PK]: `CLIENT#${clientId}`, [SK]: 'REGISTRY' }),
  person: (sub: string) => ({ [PK]: `PERSON#${sub}`, [SK]: 'REGISTRY' }),
  settings: () => ({ [PK]: 'CONFIG', [SK]: 'REGISTRY' }),
  amhp: (amhpId: string) => ({ [PK]: `AMHP#${amhpId}`, [SK]: 'REGISTER' }),
};

/** Partitions holding the registry: what a function may read of `hub` when it needs only callers. */
export const REGISTRY_PARTITION_PATTERNS = ['CLIENT#*', 'PERSON#*', 'ORG#*', 'CONFIG'] as const;

export interface ClientRecord {
  clientId: string;
  organisationId: string;
  role: Role;
  extraScopes: Scope[];
  dataSharingAgreementId?: string;
}

export interface PersonRecord {
  sub: string;
  organisationId: string;
  role: Role;
  displayName: string;
  amhpId?: string;
}

export interface RegistrySettings {
  lssas: { code: string; name: string }[];
  /** LSSA code → the AMHP service (organisation id) acting for it. */
  lssaServices: Record<string, string>;
  peopleClientIds: string[];
  /**
   * Derived from the organisation items when the registry is loaded (like `lssaServices`): what
   * a caller needs of its organisation, so resolving a caller is one BatchGet. An organisation
   * missing here (settings written before it existed) is read from its own item.
   */
  organisations?: Record<string, OrganisationFacts>;
}

export type OrganisationFacts = Pick<Organisation, 'agencyType' | 'lssas'>;

const strip = <T>(item: Record<string, unknown> | undefined): T | undefined => {
  if (!item) return undefined;
  const { [PK]: _pk, [SK]: _sk, ...rest } = item;
  return rest as T;
};

/** How long a container trusts what it read of the registry (callers, settings). */
export const REGISTRY_CACHE_MS = 60_000;
let settingsCache: { value: RegistrySettings; until: number } | undefined;

const rememberSettings = (value: RegistrySettings | undefined, now: number): void => {
  if (value) settingsCache = { value, until: now + REGISTRY_CACHE_MS };
};

/**
 * Served LSSAs and who acts for them: read at most once a minute per container (refreshed by `getCallerRecords` too).
 */
export async function getSettings(now = Date.now()): Promise<RegistrySettings> {
  if (settingsCache && settingsCache.until > now) return settingsCache.value;
  const out = await ddb().send(new GetCommand({ TableName: tableName('hub'), Key: registryKeys.settings() }));
  const value = strip<RegistrySettings>(out.Item);
  if (!value) throw new Error('Registry settings are missing');
  rememberSettings(value, now);
  return value;
}

/** Tests that change the registry clear what this container remembered. */
export const forgetSettings = (): void => {
  settingsCache = undefined;
};

/**
 * Everything caller resolution needs in ONE round trip: the machine client's record, the person
 * record the token's `sub` would name (whether the client is the people client is only known from
 * the settings, so both are asked for: one extra key costs less than a second round trip) and the
 * settings, which also carry each organisation's facts. Refreshes the settings cache.
 */
export async function getCallerRecords(
  clientId: string,
  sub: string,
  now = Date.now(),
): Promise<{
  client: ClientRecord | undefined;
  person: PersonRecord | undefined;
  settings: RegistrySettings | undefined;
}> {
  const table = tableName('hub');
  const clientKey = registryKeys.client(clientId);
  const personKey = registryKeys.person(sub);
  const items: Record<string, unknown>[] = [];
  // Unprocessed keys (throttling) are asked again; normally the first answer has all three.
  let keys: Record<string, unknown>[] = [clientKey, personKey, registryKeys.settings()];
  for (let attempt = 0; keys.length && attempt < 5; attempt++) {
    const out = await ddb().send(new BatchGetCommand({ RequestItems: { [table]: { Keys: keys } } }));
    items.push(...(out.Responses?.[table] ?? []));
    keys = (out.UnprocessedKeys?.[table]?.Keys as Record<string, unknown>[] | undefined) ?? [];
  }
  if (keys.length) throw new Error('Registry read throttled');
  const find = (pk: unknown) => items.find((i) => i[PK] === pk);
  const settings = strip<RegistrySettings>(find(registryKeys.settings()[PK]));
  rememberSettings(settings, now);
  return {
    client: strip<ClientRecord>(find(clientKey[PK])),
    person: strip<PersonRecord>(find(personKey[PK])),
    settings,
  };
}

export async function getOrganisation(organisationId: string): Promise<Organisation | undefined> {
  const out = await ddb().send(
    new GetCommand({ TableName: tableName('hub'), Key: registryKeys.organisation(organisationId) }),
  );
  return strip<Organisation>(out.Item);
}

/** The client or person record and the settings in one round trip. */
export async function getIdentity(
  kind: 'client' | 'person',
  id: string,
): Promise<{ record: ClientRecord | PersonRecord | undefined; settings: RegistrySettings | undefined }> {
  const table = tableName('hub');
  const key = kind === 'client' ? registryKeys.client(id) : registryKeys.person(id);
  const out = await ddb().send(
    new BatchGetCommand({ RequestItems: { [table]: { Keys: [key, registryKeys.settings()] } } }),
  );
  const items = out.Responses?.[table] ?? [];
  const find = (pk: unknown) => items.find((i) => i[PK] === pk);
  return {
    record: strip<ClientRecord | PersonRecord>(find(key[PK])),
    settings: strip<RegistrySettings>(find(registryKeys.settings()[PK])),
  };
}

export async function putRegistryItem(key: Record<string, string>, item: Record<string, unknown>): Promise<void> {
  await ddb().send(new PutCommand({ TableName: tableName('hub'), Item: { ...item, ...key } }));
}
