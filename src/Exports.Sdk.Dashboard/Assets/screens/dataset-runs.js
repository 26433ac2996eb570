// The runs of one dataset export (the shared run list), with "Run now".
import { get, enc } from '../api.js';
import { h, append, flags } from '../dom.js';
import { runList } from './run-list.js';
import { runNow } from './dataset-exports.js';
import * as scheduleText from './schedule-text.js';

export async function render(context, id) {
  const { main } = context;
  const item = (await get(`dataset-exports?search=${enc(id)}`)).items.find((i) => i.definition.id === id);
  const d = item?.definition ?? await get(`dataset-exports/${enc(id)}`);
  const canRun = !context.caller.isReadOnly && flags(item?.permissions).includes('Run');
  const runs = runList(context, `dataset-exports/${enc(id)}/runs`, { canRun });

  append(main,
    h('p', {}, h('a', { href: '#/datasets' }, '← Dataset exports')),
    h('div', { class: 'toolbar' }, h('h1', {}, d.name || d.id), h('span', { class: 'spacer' }),
      canRun ? h('button', { type: 'button', onclick: () => runNow(context, id) }, 'Run now') : null),
    h('p', { class: 'hint' }, `Dataset ${d.datasetId} of ${d.source} to ${d.destination}; ${d.scheduleEnabled ? scheduleText.one(d.schedule) : 'schedule off'}.`),
    h('h2', {}, 'Dataset export runs'),
    ...runs.element);
  await runs.load();
}
