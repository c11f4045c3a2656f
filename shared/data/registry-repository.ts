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
}

const strip = <T>(item: Record<string, unknown> | undefined): T | undefined => {
  if (!item) return undefined;
  const { [PK]: _pk, [SK]: _sk, ...rest } = item;
  return rest as T;
};

let settingsCache: { value: RegistrySettings; until: number } | undefined;

/** Served LSSAs and who acts for them: read at most once a minute per container. */
export async function getSettings(now = Date.now()): Promise<RegistrySettings> {
  if (settingsCache && settingsCache.until > now) return settingsCache.value;
  const out = await ddb().send(new GetCommand({ TableName: tableName('hub'), Key: registryKeys.settings() }));
  const value = strip<RegistrySettings>(out.Item);
  if (!value) throw new Error('Registry settings are missing');
  settingsCache = { value, until: now + 60_000 };
  return value;
}

export async function getOrganisation(organisationId: string): Promise<Organisation | undefined> {
  const out = await ddb().send(new GetCommand({ TableName: tableName('hub'), Key: registryKeys.organisation(organisationId) }));
  return strip<Organisation>(out.Item);
}

/** The client or person record and the settings in one round trip. */
export async function getIdentity(
  kind: 'client' | 'person',
  id: string,
): Promise<{ record: ClientRecord | PersonRecord | undefined; settings: RegistrySettings | undefined }> {
  const table = tableName('hub');
  const key = kind === 'client' ? registryKeys.client(id) : registryKeys.person(id);
  const out = await ddb().send(new BatchGetCommand({ RequestItems: { [table]: { Keys: [key, registryKeys.settings()] } } }));
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
