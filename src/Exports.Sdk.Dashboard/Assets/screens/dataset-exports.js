// The Dataset exports page: every dataset export the caller may see, searchable, with its dataset, destination,
// mode, schedule, last run and where the next incremental run starts; "Run now" where the caller may.
import { get, post, enc } from '../api.js';
import { h, append, status, time, statusBadge, flags } from '../dom.js';
import * as scheduleText from './schedule-text.js';

export async function render(context) {
  const { main } = context;
  let query = '';
  const search = h('input', { type: 'search', id: 'search-datasets', placeholder: 'Name, dataset, destination or type' });
  const body = h('tbody');
  const count = h('p', { class: 'hint', 'aria-live': 'polite' });

  append(main,
    h('h1', {}, 'Dataset exports'),
    h('div', { class: 'field' }, h('label', { for: 'search-datasets' }, 'Search dataset exports'), search),
    h('div', { class: 'table-wrap', role: 'region', 'aria-label': 'Dataset exports list', tabindex: 0 }, h('table', {},
      h('thead', {}, h('tr', {}, ['Name', 'Dataset', 'Destination', 'Mode', 'Schedule', 'Last run', 'Next run reads from', ''].map((t) => h('th', {}, t)))),
      body)),
    count);

  let timer;
  search.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(() => { query = search.value; load(); }, 250); });
  await load();

  async function load() {
    const page = await get(`dataset-exports${query ? `?search=${enc(query)}` : ''}`);
    body.replaceChildren(...(page.items.length ? page.items.map(row) : [h('tr', {}, h('td', { colspan: 8 }, 'No dataset exports you may see.'))]));
    count.textContent = `${page.totalCount} dataset export${page.totalCount === 1 ? '' : 's'}`;
  }

  function row(item) {
    const d = item.definition;
    const name = d.name || d.id;
    const canRun = !context.caller.isReadOnly && flags(item.permissions).includes('Run');
    const incremental = d.mode === 'FirstFullThenIncremental';
    return h('tr', { 'data-id': d.id },
      h('td', {}, h('a', { href: `#/datasets/${enc(d.id)}/runs` }, name), item.isReadOnly ? h('div', { class: 'hint' }, 'Declared in configuration') : null),
      h('td', {}, d.datasetId, h('div', { class: 'hint' }, d.source)),
      h('td', {}, d.destination, h('div', { class: 'hint' }, item.destinationType)),
      h('td', {}, incremental ? `Incremental by ${d.watermarkColumn}` : 'Full'),
      h('td', {}, d.scheduleEnabled ? scheduleText.one(d.schedule) : 'Off'),
      h('td', {}, item.lastRun ? [statusBadge(item.lastRun.status), ' ', time(item.lastRun.endedAt ?? item.lastRun.createdAt)] : 'Never run'),
      h('td', {}, incremental ? (item.watermark ? `${d.watermarkColumn} ≥ ${item.watermark.replace(/^[a-z0-9]+:/, '')}` : 'The start (full backfill)') : '—'),
      h('td', {}, canRun ? h('button', { type: 'button', 'aria-label': `Run ${name} now`, onclick: () => runNow(context, d.id) }, 'Run now') : null));
  }
}

/** Starts a full export of the dataset now and shows its run. */
export async function runNow(context, id) {
  try {
    const { data } = await post(`dataset-exports/${enc(id)}/run`);
    context.go(`#/runs/${enc(data.runId)}`, { message: 'The export has started.' });
  } catch (error) { status(error.message, { error: true }); }
}
