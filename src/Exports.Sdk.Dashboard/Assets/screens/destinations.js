// Destinations: those the caller may see (never a setting: they may hold secrets) with "Test connection", "Add
// destination" and "Edit" for those created at run time, and the catalog of destination types with their settings.
import { get, post, enc } from '../api.js';
import { h, append } from '../dom.js';

export async function render(context) {
  const { main } = context;
  const [destinations, types] = await Promise.all([get('destinations'), get('destination-types')]);
  const canAdd = context.can('ManageDestinations');
  append(main,
    h('h1', {}, 'Destinations'),
    canAdd ? h('div', { class: 'toolbar' }, h('button', { type: 'button', class: 'primary', onclick: () => context.go('#/destinations/new') }, 'Add destination')) : null,
    h('div', { class: 'table-wrap' }, h('table', {},
      h('thead', {}, h('tr', {}, ['Name', 'Type', 'Folder', 'Format', 'Compression', 'Connection'].map((t) => h('th', {}, t)))),
      h('tbody', {}, destinations.length === 0 ? h('tr', {}, h('td', { colspan: 6 }, 'No destinations you may see.')) : destinations.map(row)))),
    h('h2', {}, 'Destination types'),
    h('div', { class: 'table-wrap' }, h('table', {},
      h('thead', {}, h('tr', {}, ['Type', 'Settings', 'Auth schemes'].map((t) => h('th', {}, t)))),
      h('tbody', {}, types.map((t) => h('tr', {},
        h('td', {}, h('strong', {}, t.displayName), h('div', { class: 'hint' }, t.type), t.description ? h('div', { class: 'hint' }, t.description) : null),
        h('td', {}, h('ul', {}, t.settings.map((s) => h('li', {}, h('code', {}, s.name), s.isRequired ? ' (required)' : '', s.isSecret ? ' (secret)' : '',
          s.authScheme ? ` [${s.authScheme}]` : '', ' — ', s.description)))),
        h('td', {}, t.authSchemes.join(', ') || '—')))))));

  function row(d) {
    const result = h('span', { role: 'status' });
    const test = async (event) => {
      event.target.disabled = true;
      result.textContent = ' Testing…';
      try {
        const { data } = await post(`destinations/${enc(d.name)}/test`);
        result.textContent = ` ${data.succeeded ? 'Connection works' : 'Connection failed'}: ${data.message}`;
        result.className = data.succeeded ? '' : 'errors';
      } catch (error) {
        result.textContent = ` ${error.message}`;
        result.className = 'errors';
      } finally { event.target.disabled = false; }
    };
    const manage = d.canManage && !context.caller.isReadOnly;
    return h('tr', {},
      h('td', {}, h('a', { href: `#/destinations/${enc(d.name)}` }, d.name)), h('td', {}, d.typeDisplayName), h('td', {}, d.folderPath ?? ''), h('td', {}, d.format), h('td', {}, d.compression),
      h('td', {}, manage ? h('button', { type: 'button', onclick: test, 'aria-label': `Test connection of ${d.name}` }, 'Test connection') : '—', result));
  }
}
