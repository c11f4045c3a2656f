/**
 * The operator console: sign in, learn who the Hub takes you to be (GET /v1/me), then the views
 * your role may use. No framework: three views of tables and forms need a DOM helper and a hash
 * router, not a runtime, a virtual DOM and a build chain of their own (see README).
 */
import type { ConsoleConfig } from '../build.js';
import { SessionEnded, api, describeError, useApiKey } from './api.js';
import {
  SignInError,
  completeHostedUiRedirect,
  currentSession,
  redirectToHostedUi,
  signInWithPassword,
  signOut,
} from './auth.js';
import { bedRequestsView } from './bed-requests.js';
import { bedsView } from './beds.js';
import { boardView } from './board.js';
import { viewsFor, type Me, type View, type ViewContext, type ViewId } from './context.js';
import { demandView } from './demand.js';
import { handoverView } from './handover.js';
import { myReferralsView, referView } from './referrer.js';
import { field, h, replaceChildren } from './dom.js';
import { safetyView } from './safety.js';

const main = document.getElementById('main')!;
const nav = document.getElementById('nav')!;
const who = document.getElementById('who')!;

const VIEW_BUILDERS: Record<ViewId, (ctx: ViewContext) => View> = {
  board: boardView,
  beds: bedsView,
  demand: demandView,
  handover: handoverView,
  'bed-requests': bedRequestsView,
  refer: referView,
  mine: myReferralsView,
  safety: safetyView,
};

let config: ConsoleConfig;
let current: View | undefined;
let me: Me | undefined;

function disposeView(): void {
  current?.dispose();
  current = undefined;
}

function showSignIn(message?: string): void {
  disposeView();
  me = undefined;
  nav.hidden = true;
  replaceChildren(nav);
  replaceChildren(who);
  const alert = message ? h('div', { class: 'alert', role: 'alert' }, message) : null;
  const heading = h('h1', { tabindex: '-1' }, 'Sign in');
  if (config.mode === 'cognito') {
    replaceChildren(
      main,
      h(
        'div',
        { class: 'signin' },
        heading,
        alert,
        h('p', {}, 'Sign in with your Hub account (your organisation gave you one, with a second factor).'),
        h(
          'button',
          {
            type: 'button',
            onclick: () => void redirectToHostedUi(config as Extract<ConsoleConfig, { mode: 'cognito' }>),
          },
          'Sign in',
        ),
      ),
    );
    heading.focus();
    return;
  }
  const username = h('input', {
    type: 'text',
    name: 'username',
    autocomplete: 'username',
    required: true,
    autocapitalize: 'none',
    spellcheck: 'false',
  });
  const password = h('input', { type: 'password', name: 'password', autocomplete: 'current-password', required: true });
  const errorSlot = h('div', {}, alert);
  const button = h('button', { type: 'submit' }, 'Sign in');
  const localConfig = config;
  replaceChildren(
    main,
    h(
      'form',
      {
        class: 'signin',
        'aria-labelledby': 'signin-title',
        onsubmit: async (e: Event) => {
          e.preventDefault();
          button.disabled = true;
          try {
            await signInWithPassword(localConfig, username.value.trim(), password.value);
            password.value = '';
            await start();
          } catch (error) {
            replaceChildren(
              errorSlot,
              h(
                'div',
                { class: 'alert', role: 'alert' },
                error instanceof SignInError ? error.message : describeError(error),
              ),
            );
            password.value = '';
            password.focus();
          } finally {
            button.disabled = false;
          }
        },
      },
      h('h1', { id: 'signin-title', tabindex: '-1' }, 'Sign in'),
      h('p', { class: 'hint' }, 'Local stack: the seeded people of infra/local/seed/registry.json.'),
      errorSlot,
      field('Username', username),
      field('Password', password),
      button,
    ),
  );
  username.focus();
}

const sessionEnded = () => showSignIn('Your session has ended. Sign in again.');

function route(): void {
  if (!me) return;
  const allowed = viewsFor(me.role);
  const wanted = location.hash.replace(/^#\//, '') as ViewId;
  const view = allowed.find((v) => v.id === wanted) ?? allowed[0];
  if (!view) {
    disposeView();
    const heading = h('h1', { tabindex: '-1' }, 'Nothing to show');
    replaceChildren(
      main,
      heading,
      h('p', {}, `This console has no view for your role (${me.role}). Partner systems and auditors use the API.`),
    );
    heading.focus();
    return;
  }
  if (view.id !== wanted) {
    history.replaceState(null, '', `#/${view.id}`);
  }
  for (const a of nav.querySelectorAll('a')) {
    if (a.getAttribute('href') === `#/${view.id}`) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  document.title = `${view.label} · AMHP Referral Hub`;
  disposeView();
  current = VIEW_BUILDERS[view.id]({ me, main, onSessionEnded: sessionEnded });
}

async function start(): Promise<void> {
  try {
    me = (await api<Me>('/v1/me')).body;
  } catch (error) {
    if (error instanceof SessionEnded) return sessionEnded();
    return showSignIn(describeError(error));
  }
  const views = viewsFor(me.role);
  replaceChildren(nav, h('ul', {}, ...views.map((v) => h('li', {}, h('a', { href: `#/${v.id}` }, v.label)))));
  nav.hidden = views.length === 0;
  replaceChildren(
    who,
    h('span', {}, 'Signed in as ', h('strong', {}, me.displayName ?? me.organisationName), ` · ${me.organisationName}`),
    h(
      'button',
      {
        type: 'button',
        class: 'secondary',
        onclick: () => {
          signOut(config);
          showSignIn();
        },
      },
      'Sign out',
    ),
  );
  route();
}

async function boot(): Promise<void> {
  try {
    const res = await fetch('config.json', { cache: 'no-store' });
    if (!res.ok) throw new Error(`config.json: ${res.status}`);
    config = (await res.json()) as ConsoleConfig;
  } catch {
    replaceChildren(
      main,
      h(
        'div',
        { class: 'alert', role: 'alert' },
        'The console could not load its settings. Reload the page; if it persists, tell the Hub team.',
      ),
    );
    return;
  }
  window.addEventListener('hashchange', route);
  if (config.mode === 'cognito') {
    useApiKey(config.apiKey);
    try {
      await completeHostedUiRedirect(config);
    } catch (error) {
      return showSignIn(error instanceof Error ? error.message : 'Sign-in failed.');
    }
  }
  if (currentSession()) await start();
  else showSignIn();
}

void boot();
