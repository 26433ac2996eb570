// The Exports page: every export the caller may see, searchable; Add export, Run all, and for the selected exports
// Edit (or View), Create duplicate, Schedule, Export file now, Run, Dataflow runs and Delete, as the caller may.
import { get, post, del, enc } from '../api.js';
import { h, append, confirm, status, time, statusBadge, flags } from '../dom.js';
import * as scheduleText from './schedule-text.js';
import { openSchedulePane } from './schedule.js';
import { openExportNow } from './export-now.js';

export async function render(context) {
  const { main } = context;
  const selected = new Set();
  let items = [];
  let query = new URLSearchParams(location.hash.split('?')[1] ?? '').get('search') ?? '';

  const search = h('input', { type: 'search', id: 'search-exports', value: query, placeholder: 'Name, destination or type' });
  const toolbar = h('div', { class: 'toolbar', role: 'toolbar', 'aria-label': 'Selected exports' });
  const body = h('tbody');
  const count = h('p', { class: 'hint', 'aria-live': 'polite' });
  const canAdd = context.can('ActivateDestinations');

  append(main,
    h('div', { class: 'toolbar' }, h('h1', {}, 'Exports'), h('span', { class: 'spacer' }),
      canAdd ? h('button', { type: 'button', class: 'primary', onclick: () => context.go('#/exports/new') }, 'Add export') : null,
      canAdd ? h('button', { type: 'button', onclick: runAll }, 'Run all') : null),
    h('div', { class: 'field' }, h('label', { for: 'search-exports' }, 'Search exports'), search),
    toolbar,
    h('div', { class: 'table-wrap', role: 'region', 'aria-label': 'Exports list', tabindex: 0 }, h('table', {},
      h('thead', {}, h('tr', {}, h('th', {}, h('span', { class: 'visually-hidden' }, 'Select')), h('th', {}, 'Name'), h('th', {}, 'Destination'),
        h('th', {}, 'Destination type'), h('th', {}, 'Schedule'), h('th', {}, 'Last run'), h('th', {}, 'Your permissions'))),
      body)),
    count);

  let timer;
  search.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(() => { query = search.value; load(); }, 250); });
  await load();

  async function load() {
    const page = await get(`dataflows${query ? `?search=${enc(query)}` : ''}`);
    items = page.items;
    for (const id of [...selected]) if (!items.some((i) => i.dataflow.id === id)) selected.delete(id);
    draw();
    count.textContent = `${page.totalCount} export${page.totalCount === 1 ? '' : 's'}`;
  }

  function draw() {
    body.replaceChildren(...items.map((item) => {
      const d = item.dataflow;
      const name = d.name || d.id;
      const box = h('input', { type: 'checkbox', 'aria-label': `Select ${name}`, checked: selected.has(d.id),
        onchange: (e) => { if (e.target.checked) selected.add(d.id); else selected.delete(d.id); draw(); } });
      return h('tr', { class: selected.has(d.id) ? 'selected' : null, 'data-id': d.id },
        h('td', {}, box),
        h('td', {}, h('a', { href: `#/exports/${enc(d.id)}/runs` }, name), item.isReadOnly ? h('div', { class: 'hint' }, 'Declared in configuration') : null),
        h('td', {}, d.destination),
        h('td', {}, item.destinationType),
        h('td', {}, scheduleText.ofDataflow(d)),
        h('td', {}, item.lastRun ? [statusBadge(item.lastRun.status), ' ', time(item.lastRun.endedAt ?? item.lastRun.createdAt)] : 'Never run'),
        h('td', {}, item.yourPermission === 'Edit' ? 'Edit' : 'View only'));
    }));
    drawToolbar();
  }

  function drawToolbar() {
    const chosen = items.filter((i) => selected.has(i.dataflow.id));
    if (chosen.length === 0) {
      toolbar.replaceChildren(h('span', { class: 'hint' }, 'Select an export to see what you can do with it.'));
      return;
    }
    const readOnly = context.caller.isReadOnly;
    const may = (item, p) => !readOnly && flags(item.permissions).includes(p) && (p !== 'Edit' || !item.isReadOnly);
    const buttons = [];
    if (chosen.length === 1) {
      const item = chosen[0];
      const id = enc(item.dataflow.id);
      buttons.push(may(item, 'Edit')
        ? h('button', { type: 'button', onclick: () => context.go(`#/exports/${id}`) }, 'Edit')
        : h('button', { type: 'button', onclick: () => context.go(`#/exports/${id}`) }, 'View'));
      buttons.push(h('button', { type: 'button', onclick: () => context.go(`#/exports/${id}/runs`) }, 'Dataflow runs'));
      if (may(item, 'Run')) buttons.push(h('button', { type: 'button', onclick: () => duplicate(item) }, 'Create duplicate'));
    }
    if (chosen.every((i) => may(i, 'Edit'))) {
      buttons.push(h('button', { type: 'button', onclick: async () => { if (await openSchedulePane(chosen)) await load(); } }, 'Schedule'));
    }
    if (chosen.length === 1) {
      const item = chosen[0];
      if (may(item, 'Run')) {
        buttons.push(h('button', { type: 'button', onclick: () => openExportNow(item.dataflow) }, 'Export file now'));
        buttons.push(h('button', { type: 'button', onclick: () => run(item) }, 'Run'));
      }
      if (may(item, 'Edit')) buttons.push(h('button', { type: 'button', class: 'danger', onclick: () => remove(item) }, 'Delete'));
    }
    toolbar.replaceChildren(h('span', { class: 'hint' }, `${chosen.length} selected:`), ...buttons);
  }

  async function runAll() {
    if (!(await confirm('Run all', 'Run every export whose schedule is on now, with its audiences whose schedule includes today? Exports with no active schedule are skipped.', 'Run all'))) return;
    try {
      const { data } = await post('run-all');
      const skipped = data.skipped.map((s) => `${s.dataflowId} (${s.reason})`).join('; ');
      // Audiences of a started export that were left out (unscheduled, or outside their schedule's dates).
      const left = data.started.flatMap((run) => {
        const item = items.find((i) => i.dataflow.id === run.dataflowId);
        return (item?.dataflow.audiences ?? []).map((a) => a.audienceId).filter((a) => !run.audienceIds.includes(a)).map((a) => `${run.dataflowId}/${a}`);
      });
      status(`Started ${data.started.length} run${data.started.length === 1 ? '' : 's'}.${skipped ? ` Skipped: ${skipped}.` : ' None skipped.'}` +
        (left.length ? ` Audiences not run today: ${left.join(', ')}.` : ''));
      await load();
    } catch (error) { status(error.message, { error: true }); }
  }

  async function run(item) {
    try {
      const { data } = await post(`dataflows/${enc(item.dataflow.id)}/run`);
      status(`The export of '${item.dataflow.name || item.dataflow.id}' has started.`, { link: { href: `#/runs/${enc(data.runId)}`, text: 'View run' } });
      await load();
    } catch (error) { status(error.message, { error: true }); }
  }

  async function duplicate(item) {
    try {
      const { data } = await post(`dataflows/${enc(item.dataflow.id)}/duplicate`, {});
      status(`Created '${data.name || data.id}', a duplicate with its schedule off.`, { link: { href: `#/exports/${enc(data.id)}`, text: 'Edit it' } });
      selected.clear();
      await load();
    } catch (error) { status(error.message, { error: true }); }
  }

  async function remove(item) {
    const name = item.dataflow.name || item.dataflow.id;
    if (!(await confirm('Delete export', `Delete the export '${name}'? Its run history stays.`, 'Delete'))) return;
    try {
      await del(`dataflows/${enc(item.dataflow.id)}`, { ifMatch: item.eTag });
      selected.delete(item.dataflow.id);
      status(`Deleted '${name}'.`);
      await load();
    } catch (error) { status(error.message, { error: true }); }
  }
}
