// The tabs of one export: its settings and its Dataflow runs.
import { h } from '../dom.js';
import { enc } from '../api.js';

export function exportTabs(id, current, settingsLabel) {
  const tab = (href, label, name) => h('a', { href, 'aria-current': current === name ? 'page' : null }, label);
  return h('nav', { class: 'tabs', 'aria-label': 'Export' },
    tab(`#/exports/${enc(id)}`, settingsLabel, 'settings'),
    tab(`#/exports/${enc(id)}/runs`, 'Dataflow runs', 'runs'));
}
