/** The AMHP service's register: who may be allocated, for which LSSAs, who may triage. */
import * as z from 'zod/mini';
import './zod-locale.js';
// LssaCode from common.ts, where it is defined: registry.ts re-exports it but builds the registry's schemas.
import { Id, LssaCode, UtcTimestamp } from './common.js';

export const AmhpIdParams = z.object({ amhpId: Id });

export const AmhpRegisterEntryInput = z
  .strictObject({
    displayName: z.string().check(z.trim()).check(z.minLength(1)).check(z.maxLength(120)),
    active: z.boolean(),
    authorisedLssas: z.array(LssaCode).check(z.minLength(1)).check(z.maxLength(20)),
    dutyReviewer: z.boolean(),
  })
  .check(
    z.meta({
      example: {
        displayName: 'Sam Patel',
        active: true,
        authorisedLssas: ['E06000055', 'E06000056'],
        dutyReviewer: false,
      },
    }),
  );
export type AmhpRegisterEntryInput = z.infer<typeof AmhpRegisterEntryInput>;

export const AmhpRegisterEntryView = z.object({
  amhpId: z.string(),
  serviceId: z.string(),
  displayName: z.string(),
  active: z.boolean(),
  authorisedLssas: z.array(z.string()),
  dutyReviewer: z.boolean(),
  version: z.number().check(z.int()),
  updatedAt: UtcTimestamp,
});
export type AmhpRegisterEntryView = z.infer<typeof AmhpRegisterEntryView>;

export const AmhpRegisterPage = z.object({ items: z.array(AmhpRegisterEntryView) });
