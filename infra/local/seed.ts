/**
 * Loads the seed registry (`infra/local/seed/registry.json`) into the local `hub` table.
 * Organisations, clients and people follow the file on every start; AMHP register entries are
 * only created when absent, so changes made through the API survive a restart.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  BatchWriteItemCommand,
  PutItemCommand,
  UpdateItemCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { Registry } from '../../shared/schemas/registry.js';
import { registryKeys } from '../../shared/data/registry-repository.js';
import { AREA, capacityKeys } from '../../shared/data/capacity-repository.js';
import { amhpArea } from '../../shared/data/amhp-repository.js';
import { areaKeys } from '../../shared/data/area-index.js';
import { HUB_INDEXES } from '../../shared/data/tables.js';
import { s140Item } from '../../shared/data/s140-repository.js';
import type { TableNames } from './tables.js';

export const SEED_REGISTRY_PATH = fileURLToPath(new URL('./seed/registry.json', import.meta.url));

let cachedRegistry: Registry | undefined;
export const loadRegistry = (): Registry =>
  (cachedRegistry ??= Registry.parse(JSON.parse(readFileSync(SEED_REGISTRY_PATH, 'utf8'))));

export async function seedRegistry(
  client: DynamoDBClient,
  names: TableNames,
  registry: Registry = loadRegistry(),
): Promise<void> {
  const now = new Date().toISOString();
  const items: Record<string, unknown>[] = [
    {
      ...registryKeys.settings(),
      lssas: registry.lssas,
      lssaServices: Object.fromEntries(
        registry.lssas.flatMap(({ code }) => {
          const service = registry.organisations.find((o) => o.agencyType === 'amhp-service' && o.lssas.includes(code));
          return service ? [[code, service.organisationId]] : [];
        }),
      ),
      peopleClientIds: [registry.peopleClientId],
      // What caller resolution needs of each organisation, so it is one BatchGet (registry-repository.ts).
      organisations: Object.fromEntries(
        registry.organisations.map((o) => [o.organisationId, { agencyType: o.agencyType, lssas: o.lssas }]),
      ),
    },
    ...registry.organisations.map((o) => ({ ...registryKeys.organisation(o.organisationId), ...o })),
    ...registry.clients.map(({ clientSecret: _secret, description: _d, ...c }) => ({
      ...registryKeys.client(c.clientId),
      ...c,
    })),
    ...registry.people.map(({ password: _password, username: _u, ...p }) => ({ ...registryKeys.person(p.sub), ...p })),
    // Registry data that follows the file on every start, like organisations (DOMAIN §9).
    ...registry.s140Register.map(s140Item),
  ];
  for (let i = 0; i < items.length; i += 25) {
    await client.send(
      new BatchWriteItemCommand({
        RequestItems: {
          [names.hub]: items
            .slice(i, i + 25)
            .map((item) => ({ PutRequest: { Item: marshall(item, { removeUndefinedValues: true }) } })),
        },
      }),
    );
  }
  const area = (partition: string, sort: string) => ({
    [HUB_INDEXES.capacity.partitionKey.name]: partition,
    [HUB_INDEXES.capacity.sortKey.name]: sort,
  });
  const createOnly: Record<string, unknown>[] = [
    ...registry.amhpRegister.map((entry) => ({
      ...registryKeys.amhp(entry.amhpId),
      ...areaKeys(amhpArea(entry.serviceId), entry.amhpId),
      ...entry,
      version: 1,
      updatedAt: now,
    })),
    ...registry.bedUnits.map((u) => ({
      ...capacityKeys.unit(u.unitId),
      ...area(AREA.units, u.unitId),
      ...u,
      version: 1,
      updatedAt: now,
      asOf: null,
      updatedBy: null,
      beds: [],
    })),
    ...registry.placesOfSafety.map((p) => ({
      ...capacityKeys.site(p.siteId),
      ...area(AREA.sites, p.siteId),
      ...p,
      version: 1,
      updatedAt: now,
      status: null,
      capacity: null,
      emptySpaces: null,
      asOf: null,
      updatedBy: null,
    })),
  ];
  // Entries people change through the API are only created when absent, so a restart keeps them.
  for (const item of createOnly) {
    try {
      await client.send(
        new PutItemCommand({
          TableName: names.hub,
          Item: marshall(item, { removeUndefinedValues: true }),
          ConditionExpression: 'attribute_not_exists(PK)',
        }),
      );
    } catch (error) {
      if ((error as { name?: string }).name !== 'ConditionalCheckFailedException') throw error;
    }
  }
  // Data directories made before the register was listed per service: give their entries the
  // area keys (only where missing, so nothing a person changed is touched).
  const areaPk = HUB_INDEXES.capacity.partitionKey.name;
  const areaSk = HUB_INDEXES.capacity.sortKey.name;
  for (const entry of registry.amhpRegister) {
    try {
      await client.send(
        new UpdateItemCommand({
          TableName: names.hub,
          Key: marshall(registryKeys.amhp(entry.amhpId)),
          UpdateExpression: 'SET #apk = :apk, #ask = :ask',
          ConditionExpression: 'attribute_exists(PK) AND attribute_not_exists(#apk)',
          ExpressionAttributeNames: { '#apk': areaPk, '#ask': areaSk },
          ExpressionAttributeValues: marshall({ ':apk': amhpArea(entry.serviceId), ':ask': entry.amhpId }),
        }),
      );
    } catch (error) {
      if ((error as { name?: string }).name !== 'ConditionalCheckFailedException') throw error;
    }
  }
}
