/** What every view is given: who is signed in and where to draw. */
export type Role = 'referrer' | 'amhp-lead' | 'amhp' | 'bed-manager' | 'analyst' | 'auditor';

export interface Me {
  readonly kind: 'person' | 'system';
  readonly role: Role;
  readonly organisationId: string;
  readonly organisationName: string;
  readonly lssas: readonly string[];
  readonly displayName?: string;
  readonly amhpId?: string;
}

export interface ViewContext {
  readonly me: Me;
  readonly main: HTMLElement;
  /** Called when the session has ended or any call answers 401. */
  readonly onSessionEnded: () => void;
}

export interface View {
  dispose(): void;
}

export type ViewId = 'board' | 'beds' | 'demand' | 'handover' | 'bed-requests' | 'refer' | 'mine' | 'safety';

export const VIEWS: readonly { id: ViewId; label: string; roles: readonly Role[] }[] = [
  { id: 'board', label: 'Board', roles: ['amhp-lead', 'amhp'] },
  { id: 'beds', label: 'Beds', roles: ['amhp-lead', 'amhp', 'bed-manager'] },
  { id: 'demand', label: 'Demand', roles: ['analyst'] },
  { id: 'handover', label: 'Hand-over', roles: ['amhp-lead'] },
  { id: 'bed-requests', label: 'Bed requests', roles: ['bed-manager'] },
  { id: 'refer', label: 'Make a referral', roles: ['referrer'] },
  { id: 'mine', label: 'My referrals', roles: ['referrer'] },
  { id: 'safety', label: 'Safety', roles: ['amhp-lead', 'amhp'] },
];

export const viewsFor = (role: Role) => VIEWS.filter((v) => v.roles.includes(role));
