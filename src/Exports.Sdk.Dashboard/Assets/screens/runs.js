// The Dataflow runs tab of one export: runs newest first with status, start, duration and rows received / exported /
// skipped (by reason), files and size. While a run is queued or running the list refreshes every second, its
// progress shows live and it has a Stop button.
import { get, enc } from '../api.js';
import { stopRun } from './stop-run.js';
import { h, append, status, time, duration, number, bytes, statusBadge, flags } from '../dom.js';
import { exportTabs } from './tabs.js';
import { openExportNow } from './export-now.js';

export async function render(context, id) {
  const { main } = context;
  const dataflow = await get(`dataflows/${enc(id)}`);
  const listed = (await get(`dataflows?search=${enc(dataflow.name || dataflow.id)}`)).items.find((i) => i.dataflow.id === id);
  const permissions = flags(listed?.permissions);
  const canRun = !context.caller.isReadOnly && permissions.includes('Run');
  const canEdit = !context.caller.isReadOnly && permissions.includes('Edit') && !listed?.isReadOnly;
  const body = h('tbody');
  const summary = h('p', { class: 'hint', 'aria-live': 'polite' });

  append(main,
    h('div', { class: 'toolbar' }, h('h1', {}, dataflow.name || dataflow.id), h('span', { class: 'spacer' }),
      canRun ? h('button', { type: 'button', onclick: () => openExportNow(dataflow, { onStarted: load }) }, 'Export file now') : null),
    exportTabs(id, 'runs', canEdit ? 'Edit' : 'View'),
    h('h2', {}, 'Dataflow runs'),
    h('div', { class: 'table-wrap' }, h('table', {},
      h('thead', {}, h('tr', {}, ['Status', 'Start', 'Duration', 'Rows received', 'Rows exported', 'Rows skipped', 'Files', 'Size', '']
        .map((t, i) => h('th', { class: i >= 3 && i <= 7 ? 'num' : null }, t)))),
      body)),
    summary);

  let timer = null;
  let left = false;
  context.onLeave(() => { left = true; clearTimeout(timer); });
  await load();

  async function load() {
    clearTimeout(timer);
    let page;
    try {
      page = await get(`dataflows/${enc(id)}/runs`);
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

}
