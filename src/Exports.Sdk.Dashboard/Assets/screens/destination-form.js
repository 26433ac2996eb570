// Add or edit a destination created at run time: its type's settings (from the catalog: required, secret, auth
// scheme), folder and output; "Test connection" before saving; save with the ETag; delete. Secrets are never shown:
// a secret that is set reads "set", and leaving its field empty keeps it. Declared destinations are shown read-only.
import { get, post, put, del, send, enc } from '../api.js';
import { h, append, field, select, confirm } from '../dom.js';
import * as sharing from './destination-sharing.js';

export async function render(context, name) {
  const { main } = context;
  const isNew = name === null;
  const types = await get('destination-types');
  let etag = null;
  let current = { name: '', type: types[0]?.type ?? '', settings: {}, secrets: {}, folderPath: '', output: { format: { name: 'csv', compression: 'None' } }, sharedWith: {}, isReadOnly: false, canManage: true };
  if (!isNew) {
    const response = await send('GET', `destinations/${enc(name)}`);
    current = response.data;
    etag = response.etag;
    // Type and setting names are not case-sensitive on the server: use the catalog's spelling here.
    current.type = types.find((t) => t.type.toLowerCase() === current.type?.toLowerCase())?.type ?? current.type;
  }
  const named = (values, name) => Object.entries(values ?? {}).find(([key]) => key.toLowerCase() === name.toLowerCase())?.[1];
  const editable = (isNew || (!current.isReadOnly && current.canManage)) && context.can('ManageDestinations');

  const summary = h('div', { role: 'alert', class: 'errors' });
  const result = h('p', { role: 'status' });
  const nameField = field('Name', h('input', { type: 'text', value: current.name, disabled: !isNew, required: true, autocomplete: 'off' }),
    { hint: isNew ? h('p', { class: 'hint' }, 'Letters, digits, "-", "_" and "."; it cannot change later.') : null });
  const typeField = field('Type', select(types.map((t) => [t.type, t.displayName]), current.type, { disabled: !isNew }));
  const schemeField = field('Authentication', select([], ''));
  const settingsBox = h('fieldset', {}, h('legend', {}, 'Connection settings'));
  const folderField = field('Folder', h('input', { type: 'text', value: current.folderPath ?? '', placeholder: 'e.g. exports/daily' }),
    { hint: h('p', { class: 'hint' }, 'Relative to the destination\'s root; files go here.') });
  const formatField = field('Format', select([['csv', 'CSV'], ['jsonl', 'JSON Lines'], ['parquet', 'Parquet']], current.output?.format?.name ?? 'csv'));
  const compressionField = field('Compression', select([['None', 'None'], ['Gzip', 'Gzip']], current.output?.format?.compression ?? 'None'));
  const settingFields = new Map();

  const descriptor = () => types.find((t) => t.type === typeField.control.value);
  function renderSettings() {
    const type = descriptor();
    const schemes = type?.authSchemes ?? [];
    const chosen = schemes.includes(schemeField.control.value) ? schemeField.control.value
      : schemes.find((s) => type.settings.some((x) => x.authScheme === s && (named(current.secrets, x.name) || named(current.settings, x.name)))) ?? schemes[0] ?? '';
    schemeField.control.replaceChildren(...schemes.map((s) => h('option', { value: s, selected: s === chosen }, s)));
    schemeField.hidden = schemes.length === 0;
    settingFields.clear();
    const legend = settingsBox.firstChild;
    settingsBox.replaceChildren(legend);
    for (const s of type?.settings ?? []) {
      if (s.authScheme && s.authScheme !== chosen) continue;
      const isSet = named(current.secrets, s.name) === true;
      const placeholder = s.isSecret ? (isSet ? 'set — leave empty to keep it' : (s.isRequired ? 'required' : '')) : s.defaultValue ?? (s.isRequired ? 'required' : '');
      // A file's content (a private key) keeps its line breaks, which a one-line field would drop.
      const control = s.fileContentMarker ? h('textarea', { rows: 4, autocomplete: 'off', spellcheck: 'false', placeholder })
        : h('input', s.isSecret ? { type: 'password', autocomplete: 'new-password', placeholder } : { type: 'text', placeholder });
      if (!s.isSecret) control.value = named(current.settings, s.name) ?? '';
      control.disabled = !editable;
      const f = field(`${s.name}${s.isRequired ? ' (required)' : ''}${s.isSecret ? (isSet ? ' (secret, set)' : ' (secret)') : ''}`, control,
        { key: s.name, hint: h('p', { class: 'hint' }, s.description) });
      settingFields.set(s.name.toLowerCase(), f);
      settingsBox.append(f);
    }
  }
  typeField.control.addEventListener('change', renderSettings);
  schemeField.control.addEventListener('change', renderSettings);
  renderSettings();
  for (const f of [folderField, formatField, compressionField, schemeField]) f.control.disabled = !editable;

  /** The definition as the API takes it: only settings with a value (an empty secret keeps the stored one). */
  function read() {
    const settings = {};
    for (const [key, f] of settingFields) if (f.control.value.trim() !== '') settings[f.dataset.key ?? key] = f.control.value.trim();
    return {
      name: nameField.control.value.trim(),
      type: typeField.control.value,
      folderPath: folderField.control.value.trim() || null,
      settings,
      output: { ...(current.output ?? {}), format: { ...(current.output?.format ?? {}), name: formatField.control.value, compression: compressionField.control.value } },
      sharedWith: current.sharedWith ?? {},
    };
  }

  function clearErrors() {
    summary.replaceChildren();
    for (const f of [nameField, typeField, folderField, formatField, compressionField, ...settingFields.values()]) f.set('');
  }

  /** Puts each error beside the field it names (a setting, the name, the folder, the format); the rest above the form. */
  function showErrors(errors) {
    const unplaced = [];
    for (const message of errors) {
      const setting = /setting '([^']+)'|Settings:(\w+)/.exec(message);
      // A setting of another sign-in than the one shown (accessKeyId, when the default chain is chosen) goes beside the choice.
      const target = setting ? settingFields.get((setting[1] ?? setting[2]).toLowerCase()) ?? (schemeField.hidden ? null : schemeField)
        : /FolderPath/.test(message) ? folderField
        : /Compression/.test(message) ? compressionField
        : /Format/.test(message) ? formatField
        : /: Name|Name is required|named '/.test(message) ? nameField
        : /Type/.test(message) ? typeField
        : null;
      if (target) target.set(message); else unplaced.push(message);
    }
    if (unplaced.length) summary.replaceChildren(h('p', {}, 'The destination was not saved:'), h('ul', {}, unplaced.map((m) => h('li', {}, m))));
    main.querySelector('[aria-invalid=true]')?.focus();
  }

  async function test() {
    clearErrors();
    result.className = '';
    result.textContent = 'Testing the connection…';
    try {
      const { data } = await post('destinations/test', read());
      result.className = data.succeeded ? 'ok' : 'errors';
      result.textContent = `${data.succeeded ? 'Connection works' : 'Connection failed'}: ${data.message}`;
    } catch (error) {
      result.textContent = '';
      showErrors(error.errors);
    }
  }

  async function save() {
    clearErrors();
    const body = read();
    if (isNew && !body.name) { nameField.set('Enter a name for the destination.'); nameField.control.focus(); return; }
    try {
      const saved = isNew ? (await post('destinations', body)).data : (await put(`destinations/${enc(name)}`, body, { ifMatch: etag })).data;
      context.go(`#/destinations/${enc(saved.name)}`, { message: `Saved the destination '${saved.name}'.` });
    } catch (error) {
      if (error.status === 412) summary.replaceChildren(h('p', {}, 'Someone else changed this destination since you opened it. Reload it to see their version; your changes were not saved.'));
      else showErrors(error.errors);
    }
  }

  async function remove() {
    if (!await confirm('Delete destination', `Delete the destination '${name}'? Exports that use it must be deleted or moved first.`, 'Delete')) return;
    try {
      await del(`destinations/${enc(name)}`, { ifMatch: etag });
      context.go('#/destinations', { message: `Deleted the destination '${name}'.` });
    } catch (error) {
      summary.replaceChildren(h('p', {}, error.message));
    }
  }

  // One request at a time, the buttons disabled meanwhile: a form being saved is about to be replaced, and a click on it
  // (a test of the connection) would report into a form no longer shown.
  const actions = h('div', { class: 'actions' });
  const oneAtATime = (action) => async () => {
    const buttons = [...actions.querySelectorAll('button')];
    for (const button of buttons) button.disabled = true;
    try { await action(); } finally { for (const button of buttons) button.disabled = false; }
  };
  append(actions,
    h('button', { type: 'button', onclick: oneAtATime(test) }, 'Test connection'),
    h('button', { type: 'submit', class: 'primary' }, isNew ? 'Create destination' : 'Save'),
    isNew ? null : h('button', { type: 'button', class: 'danger', onclick: oneAtATime(remove) }, 'Delete'));
  const submit = oneAtATime(save);

  append(main,
    h('p', {}, h('a', { href: '#/destinations' }, '← Destinations')),
    h('h1', {}, isNew ? 'Add destination' : `Destination ${current.name}`),
    !isNew && current.isReadOnly ? h('p', { class: 'hint' }, 'Declared in code or configuration: change it there.') : null,
    summary,
    h('form', { onsubmit: (event) => { event.preventDefault(); submit(); }, novalidate: true },
      nameField, typeField, schemeField, settingsBox, folderField, formatField, compressionField,
      editable ? actions : null,
      result),
    isNew ? null : await sharing.render(context, current, () => etag, (next) => { etag = next.etag; current = next.data; }));
}
