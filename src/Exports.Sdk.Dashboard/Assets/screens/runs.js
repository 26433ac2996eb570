// The Dataflow runs tab of one export (the shared run list), with "Export file now".
import { get, enc } from '../api.js';
import { h, append, flags } from '../dom.js';
import { exportTabs } from './tabs.js';
import { openExportNow } from './export-now.js';
import { runList } from './run-list.js';

export async function render(context, id) {
  const { main } = context;
  const dataflow = await get(`dataflows/${enc(id)}`);
  const listed = (await get(`dataflows?search=${enc(dataflow.name || dataflow.id)}`)).items.find((i) => i.dataflow.id === id);
  const permissions = flags(listed?.permissions);
  const canRun = !context.caller.isReadOnly && permissions.includes('Run');
  const canEdit = !context.caller.isReadOnly && permissions.includes('Edit') && !listed?.isReadOnly;
  const runs = runList(context, `dataflows/${enc(id)}/runs`, { canRun });

  append(main,
    h('div', { class: 'toolbar' }, h('h1', {}, dataflow.name || dataflow.id), h('span', { class: 'spacer' }),
      canRun ? h('button', { type: 'button', onclick: () => openExportNow(dataflow, { onStarted: runs.load }) }, 'Export file now') : null),
    exportTabs(id, 'runs', canEdit ? 'Edit' : 'View'),
    h('h2', {}, 'Dataflow runs'),
    ...runs.element);
  await runs.load();
}
