// The page: hash routing, the header, sign-in state, live updates and notices. Each view lives in views/.
import { api, onUnauthorized, ApiError } from './api.js';
import { session } from './session.js';
import { h, replaceChildren } from './dom.js';
import { problemBox } from './components.js';
import { signInView } from './views/signin.js';
import { overviewView } from './views/overview.js';
import { findingsView } from './views/findings.js';
import { machinesView } from './views/machines.js';
import { machineView } from './views/machine.js';
import { wavesView } from './views/waves.js';
import { launchView } from './views/launch.js';
import { auditView } from './views/audit.js';

const ROUTES = [
  { pattern: /^\/signin$/, view: signInView, nav: null, public: true },
  { pattern: /^\/overview$/, view: overviewView, nav: 'overview' },
  { pattern: /^\/findings$/, view: findingsView, nav: 'findings' },
  { pattern: /^\/machines$/, view: machinesView, nav: 'machines' },
  { pattern: /^\/machines\/(.+)$/, view: machineView, nav: 'machines', params: ['id'] },
  { pattern: /^\/waves$/, view: wavesView, nav: 'waves' },
  { pattern: /^\/waves\/new$/, view: launchView, nav: 'waves' },
  { pattern: /^\/audit$/, view: auditView, nav: 'audit' },
];

const config = { grafanaUrl: 'http://localhost:3000', refreshSeconds: 5 };
const main = document.getElementById('main');
const notices = document.getElementById('notices');
let current = null; // {view, route, path}
let timer = null;
let inFlight = false;
let pendingForce = false;

// ---- notices (results of actions; errors stay until dismissed or the view changes)
export const notify = {
  success(text) {
    const el = h('div', { class: 'notice notice-ok', role: 'status' },
      h('span', {}, text),
      h('button', { type: 'button', class: 'btn-icon', 'aria-label': 'Dismiss', onclick: () => el.remove() }, '×'));
    notices.append(el);
    setTimeout(() => el.remove(), 8000);
  },
  error(error, heading) {
    const problem = error instanceof ApiError ? error.problem : { title: String(error?.message || error) };
    const el = problemBox(problem, { heading, onClose: () => el.remove() });
    el.classList.add('notice');
    notices.append(el);
    el.scrollIntoView({ block: 'nearest' });
  },
  /** Removes the errors (they concern the view being left); confirmations stay until they time out. */
  clear() {
    for (const el of notices.querySelectorAll('.problem')) el.remove();
  },
};

// ---- confirmation dialog (cancel, rollback)
const dialog = document.getElementById('confirm');
export function confirmAction({ title, text, confirmLabel = 'Confirm', danger = true }) {
  document.getElementById('confirm-title').textContent = title;
  document.getElementById('confirm-text').textContent = text;
  const yes = document.getElementById('confirm-yes');
  yes.textContent = confirmLabel;
  yes.className = `btn ${danger ? 'btn-danger' : 'btn-primary'}`;
  dialog.returnValue = '';
  return new Promise((resolve) => {
    dialog.addEventListener('close', () => resolve(dialog.returnValue === 'ok'), { once: true });
    dialog.showModal();
    document.getElementById('confirm-no').focus();
  });
}

// ---- routing
function parseHash() {
  const raw = location.hash.replace(/^#/, '') || '/';
  const [path, qs = ''] = raw.split('?');
  return { path, query: new URLSearchParams(qs) };
}

export function navigate(hash) {
  if (location.hash === hash) route();
  else location.hash = hash;
}

async function route() {
  const { path, query } = parseHash();
  if (!path.startsWith('/')) return; // an in-page anchor such as the skip link
  if (!session.token()) {
    if (path !== '/signin') {
      location.replace('#/signin');
      return;
    }
  } else if (path === '/signin' || path === '/') {
    location.replace('#/overview');
    return;
  }
  if (session.token() && !session.hasRoles()) {
    if (!(await loadSession())) return;
  }
  const match = ROUTES.map((r) => ({ r, m: r.pattern.exec(path) })).find((x) => x.m);
  if (!match) {
    location.replace(session.token() ? '#/overview' : '#/signin');
    return;
  }
  const params = {};
  (match.r.params || []).forEach((name, i) => { params[name] = decodeURIComponent(match.m[i + 1]); });
  show(match.r, params, query);
}

function show(routeDef, params, query) {
  const samePage = current && current.routeDef === routeDef && current.params?.id === params.id;
  if (current?.view.unmount) current.view.unmount();
  if (!samePage) notify.clear();
  const ctx = { params, query, config, notify, confirm: confirmAction, navigate, reload: () => refresh(true) };
  const view = routeDef.view(ctx);
  current = { routeDef, params, view };
  updateHeader(routeDef);
  replaceChildren(main, view.el);
  document.title = view.title ? `${view.title} · tlsrollout` : 'tlsrollout';
  const heading = main.querySelector('h1');
  if (heading && !samePage) {
    heading.setAttribute('tabindex', '-1');
    heading.focus({ preventScroll: true });
    window.scrollTo(0, 0);
  }
  refresh(true);
}

/** Loads the current view's data; called on entry and every few seconds while the page is visible. */
async function refresh(force = false) {
  const active = current;
  if (!active?.view.load) return;
  if (!force && (document.hidden || active.view.poll === false)) return;
  if (inFlight) {
    // A load is under way (perhaps of the view just left): load again once it is done.
    if (force) pendingForce = true;
    return;
  }
  inFlight = true;
  try {
    await active.view.load();
    if (current === active) {
      active.view.errors?.replaceChildren();
      active.view.stamp?.set();
      setLive(document.hidden ? 'paused' : 'live');
    }
  } catch (e) {
    if (current === active && !(e instanceof ApiError && e.status === 401)) {
      const problem = e instanceof ApiError ? e.problem : { title: 'The page failed', detail: String(e?.stack || e) };
      if (active.view.errors) {
        replaceChildren(active.view.errors, problemBox(problem, { heading: 'Could not load this view' }));
      } else {
        notify.error(e, 'Could not load this view');
      }
      active.view.stamp?.stale();
      for (const spinner of active.view.el.querySelectorAll('.loading')) {
        spinner.replaceWith(h('p', { class: 'muted not-loaded' }, 'Not loaded: see the error above. The page tries again every few seconds.'));
      }
      setLive('error');
    }
    if (!(e instanceof ApiError)) console.error(e);
  } finally {
    inFlight = false;
    if (pendingForce) {
      pendingForce = false;
      refresh(true);
    }
  }
}

function startPolling() {
  clearInterval(timer);
  timer = setInterval(() => refresh(false), Math.max(1, config.refreshSeconds) * 1000);
}

function setLive(state) {
  const live = document.getElementById('live');
  const text = document.getElementById('live-text');
  live.dataset.state = state;
  text.textContent = state === 'paused' ? 'Paused' : state === 'error' ? 'Not updating' : `Live · ${config.refreshSeconds} s`;
}

// ---- header
function updateHeader(routeDef) {
  const topbar = document.getElementById('topbar');
  const signedIn = !!session.token() && !routeDef.public;
  topbar.hidden = !signedIn;
  document.body.classList.toggle('signed-out', !signedIn);
  for (const a of document.querySelectorAll('[data-nav]')) {
    if (a.dataset.nav === routeDef.nav) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  const role = session.role();
  const roleEl = document.getElementById('role');
  roleEl.textContent = role ? (role === 'operator' ? 'Operator' : 'Viewer · read only') : '';
  roleEl.dataset.role = role || '';
  roleEl.title = role === 'operator' ? 'Signed in with the operator role: may launch and steer waves'
    : 'Signed in with the viewer role: may only read';
  document.getElementById('grafana').href = config.grafanaUrl;
}

async function loadSession() {
  try {
    const s = await api('/api/v1/session');
    session.setRoles(s?.roles);
    return true;
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) return false; // onUnauthorized sent the user to sign-in
    // The token may be fine and the backend down: show why, on the sign-in page.
    session.signOut(e instanceof ApiError ? e.problem : { title: String(e) });
    location.replace('#/signin');
    return false;
  }
}

onUnauthorized((problem) => {
  session.signOut({
    title: 'Signed out: the token was refused',
    status: 401,
    detail: `${problem.detail || problem.title || 'The API answered 401.'} Sign in again with a valid token.`,
  });
  location.replace('#/signin');
});

document.getElementById('signout').addEventListener('click', () => {
  session.signOut();
  location.hash = '#/signin';
});

document.querySelector('[data-skip]').addEventListener('click', (e) => {
  e.preventDefault();
  (main.querySelector('h1') || main).focus();
});

document.addEventListener('visibilitychange', () => {
  if (!document.hidden) refresh(false);
  else setLive('paused');
});

window.addEventListener('hashchange', route);

async function start() {
  try {
    const response = await fetch('ui-config.json', { cache: 'no-store' });
    if (!response.ok) throw new Error(`GET /ui-config.json answered HTTP ${response.status}`);
    Object.assign(config, await response.json());
  } catch (e) {
    notify.error(e, 'Could not read the page settings (the Grafana link and refresh interval use defaults)');
  }
  startPolling();
  setLive('live');
  route();
}

start();
