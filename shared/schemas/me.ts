/** Who the caller is, as the Hub sees them: what the console shows and which views it offers. */
import * as z from 'zod/mini';
import './zod-locale.js';
import { ROLES } from '../identity/roles.js';

export const MeView = z.object({
  kind: z.enum(['person', 'system']),
  role: z.enum(ROLES),
  organisationId: z.string(),
  organisationName: z.string(),
  agencyType: z.string(),
  lssas: z.array(z.string()),
  /** People only: the name the registry holds for them. */
  displayName: z.optional(z.string()),
  /** AMHPs on the register. */
  amhpId: z.optional(z.string()),
});
export type MeView = z.infer<typeof MeView>;
