// The runs of one export (a dataflow's or a dataset export's), newest first with status, start, duration and rows
// received / exported / skipped (by reason), files and size. While a run is queued or running the list refreshes every
// second, its progress shows live and it has a Stop button.
import { get, enc } from '../api.js';
import { stopRun } from './stop-run.js';
import { h, status, time, duration, number, bytes, statusBadge } from '../dom.js';

/** Returns the table and its summary, and `load` to refresh it now; polling stops when the user leaves the screen. */
export function runList(context, path, { canRun }) {
  const body = h('tbody');
  const summary = h('p', { class: 'hint', 'aria-live': 'polite' });
  const element = [
    h('div', { class: 'table-wrap' }, h('table', {},
      h('thead', {}, h('tr', {}, ['Status', 'Start', 'Duration', 'Rows received', 'Rows exported', 'Rows skipped', 'Files', 'Size', '']
        .map((t, i) => h('th', { class: i >= 3 && i <= 7 ? 'num' : null }, t)))),
      body)),
    summary,
  ];

  let timer = null;
  let left = false;
  context.onLeave(() => { left = true; clearTimeout(timer); });

  async function load() {
    clearTimeout(timer);
    let page;
    try {
      page = await get(path);
    } catch (error) {
      if (!left) status(`The runs could not be refreshed: ${error.message}`, { error: true });
      return;
    }
    if (left) return;
    body.replaceChildren(...page.items.map(row));
    summary.textContent = page.totalCount === 0 ? 'No runs yet.' : `${page.totalCount} run${page.totalCount === 1 ? '' : 's'}`;
    if (page.items.some((r) => r.isActive)) timer = setTimeout(load, 1000);
  }

  function row(run) {
    const live = run.isActive && run.progress;
    const skipped = Object.entries(run.entries.reduce((all, e) => {
      for (const [reason, n] of Object.entries(e.rowsSkipped ?? {})) all[reason] = (all[reason] ?? 0) + n;
      return all;
    }, {}));
    const files = run.entries.reduce((n, e) => n + e.files.length, 0);
    return h('tr', { 'data-run': run.runId },
      h('td', {}, h('a', { href: `#/runs/${enc(run.runId)}`, 'aria-label': `Run ${run.runId}` }, statusBadge(run.status))),
      h('td', {}, time(run.startedAt ?? run.createdAt)),
      h('td', { class: 'num' }, run.duration ? duration(run.duration) : duration(null, run.startedAt)),
      h('td', { class: 'num' }, number(live ? run.progress.rowsRead : run.rowsRead)),
      h('td', { class: 'num' }, number(live ? run.progress.rowsExported : run.rowsExported)),
      h('td', { class: 'num' }, number(run.rowsSkipped), skipped.length ? h('div', { class: 'hint' }, skipped.map(([r, n]) => `${r}: ${number(n)}`).join(', ')) : null),
      h('td', { class: 'num' }, number(live ? run.progress.filesCommitted : files)),
      h('td', { class: 'num' }, bytes(live ? run.progress.bytes : run.bytes)),
      h('td', {}, run.isActive && canRun ? h('button', { type: 'button', class: 'danger', onclick: async () => { await stopRun(run.runId); await load(); } }, 'Stop') : null));
  }

  return { element, load };
}
