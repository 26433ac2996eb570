// The dashboard's shell: who is signed in (GET me), the hash routes to each screen, and clean-up of a screen's timers
// when another is shown. Each screen is one module under screens/.
import { get, ApiError } from './api.js';
import { h, clearStatus, status } from './dom.js';
import * as exportsList from './screens/exports.js';
import * as exportForm from './screens/export-form.js';
import * as dataflowRuns from './screens/runs.js';
import * as runPage from './screens/run.js';
import * as destinations from './screens/destinations.js';
import * as destinationForm from './screens/destination-form.js';
import * as datasetExports from './screens/dataset-exports.js';
import * as datasetRuns from './screens/dataset-runs.js';

const main = document.getElementById('main');
const routes = [
  [/^#?\/?(exports)?$/, 'exports', () => exportsList.render(context)],
  [/^#\/exports\/new$/, 'exports', () => exportForm.render(context, null)],
  [/^#\/exports\/([^/]+)\/runs$/, 'exports', (m) => dataflowRuns.render(context, decodeURIComponent(m[1]))],
  [/^#\/exports\/([^/]+)$/, 'exports', (m) => exportForm.render(context, decodeURIComponent(m[1]))],
  [/^#\/runs\/([^/]+)$/, 'exports', (m) => runPage.render(context, decodeURIComponent(m[1]))],
  [/^#\/datasets$/, 'datasets', () => datasetExports.render(context)],
  [/^#\/datasets\/([^/]+)\/runs$/, 'datasets', (m) => datasetRuns.render(context, decodeURIComponent(m[1]))],
  [/^#\/destinations$/, 'destinations', () => destinations.render(context)],
  [/^#\/destinations\/new$/, 'destinations', () => destinationForm.render(context, null)],
  [/^#\/destinations\/([^/]+)$/, 'destinations', (m) => destinationForm.render(context, decodeURIComponent(m[1]))],
];

const context = {
  main: null,
  caller: null,
  cleanups: [],
  /** Runs when the user leaves the screen (stops polling). */
  onLeave(fn) { this.cleanups.push(fn); },
  can(permission) { return !this.caller.isReadOnly && this.caller.permissions.includes(permission); },
  /** Shows another screen; `message` is announced on it. */
  go(hash, { message } = {}) {
    pendingMessage = message ?? null;
    if (location.hash === hash) show(); else location.hash = hash;
  },
};

let pendingMessage = null;

let renders = 0;

async function show() {
  const generation = ++renders;
  context.cleanups.splice(0).forEach((fn) => fn());
  if (pendingMessage) status(pendingMessage); else clearStatus();
  pendingMessage = null;
  const hash = location.hash || '#/exports';
  const route = routes.find(([pattern]) => pattern.test(hash));
  for (const link of document.querySelectorAll('[data-nav]')) {
    if (route && link.dataset.nav === route[1]) link.setAttribute('aria-current', 'page'); else link.removeAttribute('aria-current');
  }
  // A screen builds into its own container, shown only if the user has not moved on while it loaded; until then the
  // previous screen is gone, so nothing stale can be clicked.
  main.replaceChildren(h('p', { class: 'hint' }, 'Loading…'));
  const screen = h('div');
  context.main = screen;
  if (!route) {
    screen.append(h('h1', {}, 'Not found'), h('p', {}, 'There is no such screen. '), h('a', { href: '#/exports' }, 'Back to exports'));
  } else {
    try {
      await route[2](route[0].exec(hash));
    } catch (error) {
      screen.append(h('p', { class: 'alert', role: 'alert' }, error instanceof ApiError ? error.message : `Something went wrong: ${error.message}`));
    }
  }
  if (generation !== renders) return;
  main.replaceChildren(screen);
  main.focus({ preventScroll: true });
}

async function start() {
  try {
    context.caller = await get('me');
  } catch (error) {
    main.replaceChildren(h('h1', {}, 'Exports'), h('p', { class: 'alert', role: 'alert' },
      error instanceof ApiError && error.status === 401 ? 'You are not signed in. Sign in to the application, then reload this page.' : error.message));
    return;
  }
  const appPath = document.querySelector('meta[name="exports-app-path"]').content;
  document.getElementById('who').replaceChildren(
    `Signed in as ${context.caller.name}`, context.caller.isReadOnly ? ' (read-only)' : '',
    appPath ? h('span', {}, ' · ', h('a', { href: appPath }, 'Back to site')) : '');
  window.addEventListener('hashchange', () => show());
  await show();
}

start();
