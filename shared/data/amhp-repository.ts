/** The AMHP service's register entries (`AMHP#<id>`), versioned for If-Match, listed per service in the area index. */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { AlreadyExists, StaleVersion } from '../domain/errors.js';
import type { AmhpRegisterEntryView } from '../schemas/amhps.js';
import { ddb, tableName } from './client.js';
import { areaKeys, queryArea, withoutKeys } from './area-index.js';
import { registryKeys } from './registry-repository.js';
import type { WriteItem } from './transact.js';
import { versionedPut } from './versioned-put.js';
import type { Caller } from '../identity/caller.js';
import type { Viewer } from '../domain/referral-access.js';

export type AmhpEntry = AmhpRegisterEntryView;

export async function getAmhp(amhpId: string): Promise<AmhpEntry | undefined> {
  const out = await ddb().send(
    new GetCommand({ TableName: tableName('hub'), Key: registryKeys.amhp(amhpId), ConsistentRead: true }),
  );
  return out.Item ? withoutKeys<AmhpEntry>(out.Item) : undefined;
}

/**
 * The caller as the view rules need them (DOMAIN §1): an AMHP is duty reviewer only while their
 * own register entry is active, of their own service, and so marked. Read on every request (not
 * cached) so that a lead's change to the register takes effect at once.
 */
export async function viewerOf(caller: Caller): Promise<Viewer> {
  if (caller.role !== 'amhp' || !caller.amhpId) return { caller, dutyReviewer: false };
  const entry = await getAmhp(caller.amhpId);
  return {
    caller,
    dutyReviewer: !!entry && entry.active && entry.dutyReviewer && entry.serviceId === caller.organisationId,
  };
}

/** A service's register in one list (the console's allocation choices), ordered by id. */
export const amhpArea = (serviceId: string) => `AMHPS#${serviceId}`;

export async function listAmhps(serviceId: string): Promise<AmhpEntry[]> {
  return (await queryArea<AmhpEntry>(amhpArea(serviceId))).items;
}

const stale = () =>
  new StaleVersion('This register entry has changed since you read it: read it again and reapply your change.');

/** Creates (`previousVersion` null) or replaces exactly the version the caller read. */
export const putAmhp = (entry: AmhpEntry, previousVersion: number | null): WriteItem =>
  versionedPut(
    { ...registryKeys.amhp(entry.amhpId), ...areaKeys(amhpArea(entry.serviceId), entry.amhpId), ...entry },
    previousVersion,
    {
      created: () => new AlreadyExists('This register entry was created meanwhile: read it and retry with If-Match.'),
      stale,
    },
  );
