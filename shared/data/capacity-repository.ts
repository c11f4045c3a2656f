/**
 * Bed units, places of safety, their snapshots, and bed requests in `hub`. Current figures sit
 * on the unit's state item, which is also its entry in the sparse capacity index, so
 * `GET /v1/bed-availability` is one Query; every accepted snapshot is kept beside it.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { queryAll } from './pages.js';
import { ulid } from 'ulid';
import { PK, SK } from './tables.js';
import { AlreadyExists, StaleVersion } from '../domain/errors.js';
import { ddb, tableName } from './client.js';
import { areaKeys, queryArea, withoutKeys } from './area-index.js';
import type { WriteItem } from './transact.js';
import { versionedPut } from './versioned-put.js';
import type { BedRow } from '../domain/capacity.js';

export const capacityKeys = {
  unit: (id: string) => ({ [PK]: `BEDUNIT#${id}`, [SK]: 'STATE' }),
  unitSnapshot: (id: string, asOf: string) => ({ [PK]: `BEDUNIT#${id}`, [SK]: `SNAPSHOT#${asOf}#${ulid()}` }),
  site: (id: string) => ({ [PK]: `POS#${id}`, [SK]: 'STATE' }),
  siteSnapshot: (id: string, asOf: string) => ({ [PK]: `POS#${id}`, [SK]: `SNAPSHOT#${asOf}#${ulid()}` }),
  bedRequest: (id: string) => ({ [PK]: `BEDREQUEST#${id}`, [SK]: 'STATE' }),
};
export const AREA = { units: 'BEDS#ALL', sites: 'POS#ALL', openBedRequests: 'BEDREQ#OPEN' } as const;

const area = areaKeys;

export interface BedUnit {
  unitId: string;
  providerId: string;
  name: string;
  site: string;
  icb: string;
  lssas: string[];
  s140Designated: boolean;
  acceptsUnder18: boolean;
  contactRoute: string;
  version: number;
  updatedAt: string;
  asOf: string | null;
  updatedBy: string | null;
  beds: BedRow[];
}

export interface PlaceOfSafety {
  siteId: string;
  providerId: string;
  name: string;
  lssas: string[];
  acceptsUnder18: boolean;
  contactRoute: string;
  version: number;
  updatedAt: string;
  status: 'open' | 'closed' | null;
  capacity: number | null;
  emptySpaces: number | null;
  asOf: string | null;
  updatedBy: string | null;
}

export interface BedRequest {
  id: string;
  referralId: string;
  referralReference: string;
  serviceId: string;
  ageBand: string;
  sex: string;
  bedType: string;
  legalStatus: string;
  lssa: string;
  requestedAt: string;
  status: 'open' | 'closed';
  version: number;
  responses: { response: string; unitId?: string; icb?: string; note?: string; organisationId: string; at: string }[];
}

const strip = withoutKeys;

async function getState<T>(key: Record<string, string>): Promise<T | undefined> {
  const out = await ddb().send(new GetCommand({ TableName: tableName('hub'), Key: key, ConsistentRead: true }));
  return out.Item ? strip<T>(out.Item) : undefined;
}

export const getBedUnit = (id: string) => getState<BedUnit>(capacityKeys.unit(id));
export const getPlaceOfSafety = (id: string) => getState<PlaceOfSafety>(capacityKeys.site(id));
export const getBedRequest = (id: string) => getState<BedRequest>(capacityKeys.bedRequest(id));

const stale = () =>
  new StaleVersion('This entry has changed since you read it: read it again and reapply your change.');

/** Create (previousVersion null) or replace the registry fields of a unit or site, keeping its figures. */
export function putRegistryEntry(
  kind: 'unit' | 'site',
  entry: BedUnit | PlaceOfSafety,
  previousVersion: number | null,
): WriteItem {
  const id = kind === 'unit' ? (entry as BedUnit).unitId : (entry as PlaceOfSafety).siteId;
  const key = kind === 'unit' ? capacityKeys.unit(id) : capacityKeys.site(id);
  return versionedPut({ ...entry, ...key, ...area(kind === 'unit' ? AREA.units : AREA.sites, id) }, previousVersion, {
    created: () => new AlreadyExists('This entry was created meanwhile: read it and retry with If-Match.'),
    stale,
  });
}

export class OlderSnapshot extends Error {
  override name = 'OlderSnapshot';
}

/**
 * A new snapshot: the current figures move forward only (newest `asOf` wins, conditionally, so
 * concurrent updates cannot go back in time) and the snapshot itself is kept.
 */
export function snapshotItems(
  kind: 'unit' | 'site',
  id: string,
  providerId: string,
  figures: Record<string, unknown> & { asOf: string },
  updatedBy: string,
  at: string,
): WriteItem[] {
  const key = kind === 'unit' ? capacityKeys.unit(id) : capacityKeys.site(id);
  const names: Record<string, string> = {
    '#asOf': 'asOf',
    '#updatedBy': 'updatedBy',
    '#updatedAt': 'updatedAt',
    '#provider': 'providerId',
  };
  const values: Record<string, unknown> = {
    ':asOf': figures.asOf,
    ':updatedBy': updatedBy,
    ':updatedAt': at,
    ':provider': providerId,
  };
  const sets = ['#asOf = :asOf', '#updatedBy = :updatedBy', '#updatedAt = :updatedAt'];
  for (const [field, value] of Object.entries(figures)) {
    if (field === 'asOf') continue;
    names[`#${field}`] = field;
    values[`:${field}`] = value;
    sets.push(`#${field} = :${field}`);
  }
  return [
    {
      item: {
        Update: {
          TableName: tableName('hub'),
          Key: key,
          UpdateExpression: `SET ${sets.join(', ')}`,
          ConditionExpression:
            'attribute_exists(PK) AND #provider = :provider AND (attribute_not_exists(#asOf) OR #asOf = ' +
            ':null OR #asOf < :asOf)',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: { ...values, ':null': null },
        },
      },
      onConditionFailed: () => new OlderSnapshot(),
    },
    {
      item: {
        Put: {
          TableName: tableName('hub'),
          Item: {
            ...(kind === 'unit'
              ? capacityKeys.unitSnapshot(id, figures.asOf)
              : capacityKeys.siteSnapshot(id, figures.asOf)),
            ...figures,
            updatedBy,
            receivedAt: at,
          },
        },
      },
    },
  ];
}

const lssaFilter = (lssa?: string) =>
  lssa ? { expression: 'contains(#lssas, :lssa)', names: { '#lssas': 'lssas' }, values: { ':lssa': lssa } } : undefined;

export const listBedUnits = (lssa?: string) => queryArea<BedUnit>(AREA.units, lssaFilter(lssa));
export const listPlacesOfSafety = (lssa?: string) => queryArea<PlaceOfSafety>(AREA.sites, lssaFilter(lssa));
export const listOpenBedRequests = () => queryArea<BedRequest>(AREA.openBedRequests);

export async function unitHistory(id: string, from: string, to: string) {
  const out = await queryAll(ddb(), {
    TableName: tableName('hub'),
    KeyConditionExpression: '#p = :p AND #s BETWEEN :from AND :to',
    ExpressionAttributeNames: { '#p': PK, '#s': SK },
    ExpressionAttributeValues: { ':p': `BEDUNIT#${id}`, ':from': `SNAPSHOT#${from}`, ':to': `SNAPSHOT#${to}~` },
  });
  return out.map(({ asOf, updatedBy, beds }) => ({ asOf, updatedBy, beds }));
}

/** A new bed request, open (in the index) until answered with a bed or its referral closes. */
export const bedRequestPut = (r: BedRequest): WriteItem => ({
  item: {
    Put: {
      TableName: tableName('hub'),
      Item: { ...r, ...capacityKeys.bedRequest(r.id), ...area(AREA.openBedRequests, `${r.requestedAt}#${r.id}`) },
      ConditionExpression: 'attribute_not_exists(#pk)',
      ExpressionAttributeNames: { '#pk': PK },
    },
  },
});

export const bedRequestReplace = (r: BedRequest, previousVersion: number): WriteItem => ({
  item: {
    Put: {
      TableName: tableName('hub'),
      Item: {
        ...r,
        ...capacityKeys.bedRequest(r.id),
        ...(r.status === 'open' ? area(AREA.openBedRequests, `${r.requestedAt}#${r.id}`) : {}),
      },
      ConditionExpression: 'version = :v',
      ExpressionAttributeValues: { ':v': previousVersion },
    },
  },
  onConditionFailed: stale,
});
