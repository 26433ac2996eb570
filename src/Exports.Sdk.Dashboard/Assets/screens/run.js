// One run, of a dataflow or a dataset export: status, times and who started it; live progress and Stop while it runs;
// then its files (name, rows, size, SHA-256) per audience or dataset, the manifest and the errors.
import { get, enc } from '../api.js';
import { stopRun } from './stop-run.js';
import { h, append, status, flags, time, duration, number, bytes, statusBadge } from '../dom.js';

const triggers = { OnDemand: 'On demand', RunAll: 'Run all', Scheduled: 'Schedule' };
const names = new Map();

/** The export's name, its runs tab and whether the caller may run it (its id and false once it is deleted), read once per page. */
async function exportInfo(run) {
  const id = run.dataflowId;
  const dataset = run.kind === 'DatasetExport';
  const runs = dataset ? `#/datasets/${enc(id)}/runs` : `#/exports/${enc(id)}/runs`;
  if (!names.has(id)) {
    names.set(id, await (dataset
      ? get(`dataset-exports?search=${enc(id)}`).then((page) => page.items.find((i) => i.definition.id === id)).then((item) =>
        ({ name: item?.definition.name || id, canRun: flags(item?.permissions).includes('Run'), runs, tab: 'Dataset export runs', entry: 'Dataset' }))
      : get(`dataflows/${enc(id)}`).then(async (d) => {
        const listed = (await get(`dataflows?search=${enc(d.name || d.id)}`)).items.find((i) => i.dataflow.id === id);
        return { name: d.name || d.id, canRun: flags(listed?.permissions).includes('Run'), runs, tab: 'Dataflow runs', entry: 'Audience' };
      })).catch(() => ({ name: id, canRun: false, runs, tab: dataset ? 'Dataset export runs' : 'Dataflow runs', entry: dataset ? 'Dataset' : 'Audience' })));
  }
  return names.get(id);
}

export async function render(context, runId) {
  const { main } = context;
  let timer = null;
  let left = false;
  context.onLeave(() => { left = true; clearTimeout(timer); });
  const view = h('div');
  main.append(view);
  await load();

  async function load() {
    clearTimeout(timer);
    let run;
    try {
      run = await get(`runs/${enc(runId)}`);
    } catch (error) {
      if (left) return;
      // Before the first answer there is nothing on the page to refresh: say why (no such run, or not one the caller
      // may see) where the run would be.
      if (view.childElementCount === 0) view.replaceChildren(h('h1', {}, `Run ${runId}`), h('p', { class: 'alert', role: 'alert' }, error.message),
        h('p', {}, h('a', { href: '#/exports' }, 'Back to exports')));
      else status(`The run could not be refreshed: ${error.message}`, { error: true });
      return;
    }
    if (left) return;
    view.replaceChildren();
    append(view, draw(run, await exportInfo(run)));
    if (run.isActive) timer = setTimeout(load, 1000);
  }

  function draw(run, info) {
    const p = run.progress;
    return [
      h('p', {}, h('a', { href: info.runs }, `← ${info.tab}`)),
      h('div', { class: 'toolbar' }, h('h1', {}, `Run ${run.runId}`), h('span', { class: 'spacer' }),
        run.isActive && info.canRun && !context.caller.isReadOnly ? h('button', { type: 'button', class: 'danger', onclick: async () => { await stopRun(run.runId); await load(); } }, 'Stop') : null),
      h('div', { class: 'card' }, h('dl', { class: 'facts' },
        h('dt', {}, 'Status'), h('dd', {}, statusBadge(run.status)),
        h('dt', {}, 'Export'), h('dd', {}, h('a', { href: info.runs }, info.name)),
        h('dt', {}, info.entry === 'Dataset' ? 'Dataset' : 'Audiences'), h('dd', {}, run.audienceIds.join(', ')),
        h('dt', {}, 'Started'), h('dd', {}, time(run.startedAt ?? run.createdAt)),
        h('dt', {}, 'Duration'), h('dd', {}, run.duration ? duration(run.duration) : duration(null, run.startedAt)),
        h('dt', {}, 'Trigger'), h('dd', {}, `${triggers[run.trigger] ?? run.trigger}${run.requestedBy ? ` by ${run.requestedBy}` : ''}`),
        h('dt', {}, 'Rows received'), h('dd', {}, number(run.isActive && p ? p.rowsRead : run.rowsRead)),
        h('dt', {}, 'Rows exported'), h('dd', {}, number(run.isActive && p ? p.rowsExported : run.rowsExported)),
        h('dt', {}, 'Rows skipped'), h('dd', {}, number(run.rowsSkipped)),
        h('dt', {}, 'Size'), h('dd', {}, bytes(run.isActive && p ? p.bytes : run.bytes)),
        run.manifestPath ? [h('dt', {}, 'Manifest'), h('dd', { class: 'mono' }, run.manifestPath)] : null)),
      ...run.entries.map((entry) => h('section', {},
        h('h2', {}, `${info.entry} ${entry.sourceId} `, statusBadge(entry.status)),
        entry.error ? h('p', { class: 'alert' }, entry.error) : null,
        Object.keys(entry.rowsSkipped ?? {}).length
          ? h('p', { class: 'hint' }, 'Skipped: ', Object.entries(entry.rowsSkipped).map(([r, n]) => `${r} ${number(n)}`).join(', ')) : null,
        h('div', { class: 'table-wrap' }, h('table', {},
          h('caption', { class: 'visually-hidden' }, `Files of ${info.entry.toLowerCase()} ${entry.sourceId}`),
          h('thead', {}, h('tr', {}, h('th', {}, 'Name'), h('th', { class: 'num' }, 'Rows'), h('th', { class: 'num' }, 'Size'), h('th', {}, 'SHA-256'))),
          h('tbody', {}, entry.files.length === 0 ? h('tr', {}, h('td', { colspan: 4 }, 'No files.')) : entry.files.map((f) => h('tr', {},
            h('td', { class: 'mono' }, f.path || f.name), h('td', { class: 'num' }, number(f.rows)), h('td', { class: 'num' }, bytes(f.size)),
            h('td', { class: 'mono' }, f.sha256)))))))),
      run.errors.length ? [h('h2', {}, 'Errors'), h('ul', { class: 'errors' }, run.errors.map((e) => h('li', {}, e)))] : null,
    ];
  }

}
