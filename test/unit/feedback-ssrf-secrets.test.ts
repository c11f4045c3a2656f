/**
 * Feedback, pure parts continued from feedback.test.ts: the SSRF guard, the subscription body,
 * the local sealing of secrets and the message schemas.
 */
import { describe, expect, it } from 'vitest';
import { buildFeedbackMessage, FEEDBACK_EVENT_TYPES } from '../../shared/domain/feedback.js';
import {
  addressesProblem,
  checkUrlShape,
  checkWebhookUrl,
  classifyIp,
  guardedLookup,
  type AddressClass,
} from '../../shared/domain/ssrf.js';
import { openSecret, sealSecret } from '../../shared/secrets/webhook-secrets.js';
import { SubscriptionCreate } from '../../shared/schemas/feedback.js';
import { FEEDBACK_MESSAGES } from '../../events/schemas/feedback-message.js';
import { event } from './feedback.fixture.js';

describe('SSRF guard', () => {
  it.each<[string, AddressClass]>([
    ['8.8.8.8', 'public'],
    ['1.1.1.1', 'public'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['172.32.0.1', 'public'],
    ['192.168.1.1', 'private'],
    ['100.64.0.1', 'private'],
    ['127.0.0.1', 'loopback'],
    ['127.9.9.9', 'loopback'],
    ['169.254.169.254', 'metadata'],
    ['169.254.170.2', 'metadata'],
    ['169.254.1.1', 'link-local'],
    ['0.0.0.0', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['255.255.255.255', 'reserved'],
    ['198.51.100.7', 'reserved'],
    ['::1', 'loopback'],
    ['[::1]', 'loopback'],
    ['::', 'unspecified'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['fd00:ec2::254', 'metadata'],
    ['fd12:3456::1', 'private'],
    ['ff02::1', 'multicast'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:a9fe:a9fe', 'metadata'],
    ['::ffff:8.8.8.8', 'public'],
    ['64:ff9b::a00:1', 'private'],
    ['2002:0a00:0001::1', 'private'],
    ['2001:db8::1', 'reserved'],
    ['2606:4700:4700::1111', 'public'],
    ['not-an-ip', 'invalid'],
    ['1.2.3', 'invalid'],
  ])('%s is %s', (address, kind) => {
    expect(classifyIp(address)).toBe(kind);
  });

  const aws = { mode: 'aws' as const };
  const local = { mode: 'local' as const };

  it.each([
    ['http://hooks.example.org/x', 'must use https'],
    ['https://user:pw@hooks.example.org/x', 'must not carry credentials'],
    ['https://169.254.169.254/latest/meta-data/', 'names a metadata address'],
    ['https://[fd00:ec2::254]/', 'names a metadata address'],
    ['https://10.0.0.5/hook', 'names a private address'],
    ['https://2130706433/', 'names a loopback address'],
    ['https://0x7f.1/', 'names a loopback address'],
    ['https://[::ffff:169.254.169.254]/', 'names a metadata address'],
    ['https://localhost/x', 'names a loopback host'],
    ['https://127.0.0.1/x', 'names a loopback address'],
    ['https://intranet/x', 'must be a fully qualified public host name'],
    ['https://metadata.google.internal/x', 'names an internal domain'],
    ['ftp://hooks.example.org/x', 'must use https'],
    ['https://hooks.example.org:8443/x', 'must use the default HTTPS port (443)'],
    ['not a url', 'not an absolute URL'],
  ])('in AWS refuses %s (%s)', (url, reason) => {
    expect(checkUrlShape(url, aws)).toEqual({ ok: false, reason });
  });

  it('locally allows http://localhost and 127.0.0.1, still refuses other private addresses', () => {
    expect(checkUrlShape('http://localhost:8080/hook', local)).toMatchObject({ ok: true, loopbackAllowed: true });
    expect(checkUrlShape('http://127.0.0.1:8080/hook', local)).toMatchObject({
      ok: true,
      loopbackAllowed: true,
      ipLiteral: true,
    });
    expect(checkUrlShape('http://[::1]:8080/hook', local)).toMatchObject({ ok: true });
    expect(checkUrlShape('http://127.0.0.2:8080/hook', local)).toEqual({
      ok: false,
      reason: 'names a loopback address',
    });
    expect(checkUrlShape('http://10.0.0.5/hook', local)).toEqual({ ok: false, reason: 'names a private address' });
    expect(checkUrlShape('http://169.254.169.254/', local)).toEqual({ ok: false, reason: 'names a metadata address' });
    expect(checkUrlShape('https://hooks.example.org/x', aws)).toMatchObject({
      ok: true,
      loopbackAllowed: false,
      ipLiteral: false,
    });
  });

  it('checks every address a name resolves to (one bad address refuses the name)', async () => {
    const resolver = (map: Record<string, string[]>) => async (host: string) => {
      if (!map[host]) throw Object.assign(new Error('ENOTFOUND'), { code: 'ENOTFOUND' });
      return map[host]!;
    };
    const r = resolver({
      'hooks.example.org': ['93.184.215.14'],
      'rebind.example.org': ['93.184.215.14', '169.254.169.254'],
      'inside.example.org': ['10.0.0.8'],
    });
    expect(await checkWebhookUrl('https://hooks.example.org/x', aws, r)).toMatchObject({ ok: true });
    expect(await checkWebhookUrl('https://rebind.example.org/x', aws, r)).toEqual({
      ok: false,
      reason: 'resolves to a metadata address',
    });
    expect(await checkWebhookUrl('https://inside.example.org/x', aws, r)).toEqual({
      ok: false,
      reason: 'resolves to a private address',
    });
    expect(await checkWebhookUrl('https://nowhere.example.org/x', aws, r)).toEqual({
      ok: false,
      reason: 'could not be resolved',
    });
    expect(addressesProblem([], false)).toBe('resolves to no address');
  });

  it('guards the connection itself: the lookup refuses what the name resolves to at connect time', async () => {
    const lookupVia = (addresses: string[], loopbackAllowed: boolean, all: boolean) =>
      new Promise<{ error: Error | null; address: unknown }>((resolve) =>
        guardedLookup(loopbackAllowed, (_h, cb) =>
          cb(
            null,
            addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 })),
          ),
        )('host', { all }, (error, address) => resolve({ error, address })),
      );
    expect((await lookupVia(['93.184.215.14'], false, false)).address).toBe('93.184.215.14');
    expect((await lookupVia(['93.184.215.14'], false, true)).address).toEqual([
      { address: '93.184.215.14', family: 4 },
    ]);
    expect((await lookupVia(['127.0.0.1'], false, false)).error?.name).toBe('BlockedAddressError');
    expect((await lookupVia(['127.0.0.1'], true, false)).error).toBeNull();
    expect((await lookupVia(['10.0.0.1'], true, true)).error?.name).toBe('BlockedAddressError');
  });
});

describe('subscription body', () => {
  it('takes a URL and a set of feedback events', () => {
    expect(SubscriptionCreate.safeParse({ url: 'https://a.example/x', events: ['accepted'] }).success).toBe(true);
    expect(SubscriptionCreate.safeParse({ url: 'https://a.example/x', events: [] }).success).toBe(false);
    expect(SubscriptionCreate.safeParse({ url: 'https://a.example/x', events: ['accepted', 'accepted'] }).success).toBe(
      false,
    );
    expect(SubscriptionCreate.safeParse({ url: 'https://a.example/x', events: ['received'] }).success).toBe(false);
    expect(
      SubscriptionCreate.safeParse({ url: 'https://a.example/x', events: ['accepted'], secret: 'mine' }).success,
    ).toBe(false);
  });
});

describe('sealed secrets (local AES-256-GCM)', () => {
  const env = { FEEDBACK_SECRET_KEY: Buffer.alloc(32, 3).toString('base64') } as NodeJS.ProcessEnv;
  const context = { purpose: 'feedback-webhook-secret', organisationId: 'police-a', subscriptionId: 'S1' };

  it('round-trips, never stores the plaintext, and will not open under another context or key', async () => {
    const sealed = await sealSecret('whsec_c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0', context, env);
    expect(sealed.alg).toBe('local-aes-256-gcm');
    expect(JSON.stringify(sealed)).not.toContain('whsec_');
    expect(await openSecret(sealed, context, env)).toBe('whsec_c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0');
    await expect(openSecret(sealed, { ...context, subscriptionId: 'S2' }, env)).rejects.toThrow();
    await expect(
      openSecret(sealed, context, { FEEDBACK_SECRET_KEY: Buffer.alloc(32, 4).toString('base64') } as NodeJS.ProcessEnv),
    ).rejects.toThrow();
  });
});

describe('the message schemas (events/schemas/feedback-message.ts)', () => {
  it("every message the domain builds parses with its type's closed schema, whatever the event data holds", () => {
    const everything = {
      disposition: 'signposted',
      outcome: 'detained-s2',
      nextSteps: 'Next steps',
      expectedAttendanceAt: '2026-03-15T01:00:00+00:00',
      power: 's136',
      expiresAt: '2026-03-15T23:40:00Z',
      reason: 'internal',
      amhpId: 'amhp-1',
    };
    for (const type of FEEDBACK_EVENT_TYPES) {
      for (const data of [{}, everything]) {
        const message = buildFeedbackMessage(event(type, data));
        const parsed = FEEDBACK_MESSAGES[type].safeParse(message);
        expect(parsed.error?.issues ?? [], `${type} ${JSON.stringify(data)}`).toEqual([]);
      }
    }
  });
});
