// Add / edit export: source, destination (only those the caller may use), attributes the source offers, mandatory
// attributes, deduplication key, identity columns (with the identity permission only), audiences with their file-name
// template (a preview rendered by the server as you type), export mode and schedule. Errors are shown beside their
// field; saving over someone else's change shows the conflict and keeps what the user typed.
import { get, post, put, send, enc } from '../api.js';
import { h, append, field, select, status, uid, flags } from '../dom.js';
import { scheduleFields } from './schedule-fields.js';
import { exportTabs } from './tabs.js';

const DEFAULT_TEMPLATE = '%DESTINATION_NAME%_%SEGMENT_ID%_%DATETIME(YYYYMMdd_HHmmss)%';

export async function render(context, id) {
  const { main, caller } = context;
  const isNew = id === null;
  let etag = null;
  let dataflow = { id: '', name: '', source: '', destination: '', attributes: [], mandatoryAttributes: [], identityNamespaces: [], deduplication: null, scheduleEnabled: true, audiences: [] };
  let listed = null;
  if (!isNew) {
    const response = await send('GET', `dataflows/${enc(id)}`);
    dataflow = response.data;
    etag = response.etag;
    listed = (await get(`dataflows?search=${enc(dataflow.name || dataflow.id)}`)).items.find((i) => i.dataflow.id === id);
  }
  const editable = !caller.isReadOnly && (isNew ? caller.permissions.includes('ActivateDestinations')
    : flags(listed?.permissions).includes('Edit') && !listed?.isReadOnly);
  const mayIdentity = caller.permissions.includes('ViewIdentityGraph');
  const [sources, destinations] = await Promise.all([get('sources'), get('destinations')]);
  const usable = destinations.filter((d) => d.canActivate || d.name === dataflow.destination);

  // --- fields ---
  const name = field('Name', h('input', { type: 'text', value: dataflow.name ?? '', required: true }), { key: 'Name' });
  const source = field('Source', select([['', 'Choose a source'], ...sources.map((s) => [s.name, s.name])], dataflow.source), { key: 'Source' });
  const destination = field('Destination', select([['', 'Choose a destination'], ...usable.map((d) => [d.name, `${d.name} (${d.typeDisplayName})`])], dataflow.destination), { key: 'Destination' });
  const attributesBox = h('div', { class: 'checks' });
  const attributesError = h('p', { class: 'field-error', role: 'alert' });
  const mandatoryBox = h('div', { class: 'checks' });
  const mandatoryError = h('p', { class: 'field-error', role: 'alert' });
  const dedupBox = h('div', { class: 'checks' });
  const dedupError = h('p', { class: 'field-error', role: 'alert' });
  const identity = mayIdentity
    ? field('Identity columns', h('input', { type: 'text', value: dataflow.identityNamespaces.join(', '), placeholder: 'e.g. email, phone' }),
      { key: 'IdentityNamespaces', hint: h('span', { class: 'hint' }, 'Identity namespaces, separated by commas; each becomes a column identityMap.<namespace>.') })
    : null;
  const scheduleRun = h('input', { type: 'checkbox', id: uid('schedule-run'), checked: dataflow.scheduleEnabled });
  const audiencesBox = h('div');
  const summary = h('div', { class: 'alert', role: 'alert' });
  const conflict = h('div', { role: 'alert' });
  let offeredAttributes = [];
  let offeredAudiences = [];
  const audienceBlocks = [];

  const saveButton = editable ? h('button', { type: 'submit', class: 'primary' }, 'Save') : null;
  const form = h('form', { class: 'card', novalidate: true, onsubmit: (e) => { e.preventDefault(); save(); } },
    conflict, summary,
    h('div', { class: 'row' }, name, source, destination),
    h('fieldset', {}, h('legend', {}, 'Attributes'), attributesBox, attributesError),
    h('fieldset', {}, h('legend', {}, 'Mandatory attributes'), h('p', { class: 'hint' }, 'Profiles without a value for these are skipped.'), mandatoryBox, mandatoryError),
    h('fieldset', {}, h('legend', {}, 'Deduplication key'), h('p', { class: 'hint' }, 'One or two attributes; of profiles with the same key only the newest is exported.'), dedupBox, dedupError),
    identity,
    h('h2', {}, 'Audiences'),
    audiencesBox,
    editable ? h('button', { type: 'button', onclick: () => { addAudience(null); } }, 'Add audience') : null,
    h('div', { class: 'field' }, h('label', { for: scheduleRun.id }, scheduleRun, ' Schedule run')),
    h('div', { class: 'actions' },
      h('button', { type: 'button', onclick: () => context.go(isNew ? '#/exports' : `#/exports/${enc(id)}/runs`) }, editable ? 'Cancel' : 'Back'),
      saveButton));

  append(main,
    h('h1', {}, isNew ? 'Add export' : `${editable ? 'Edit' : 'View'} export: ${dataflow.name || dataflow.id}`),
    isNew ? null : exportTabs(id, 'settings', editable ? 'Edit' : 'View'),
    listed?.isReadOnly ? h('p', { class: 'hint' }, 'This export is declared in the host\'s configuration; change it there.') : null,
    form);

  source.control.addEventListener('change', () => loadSource());
  destination.control.addEventListener('change', () => audienceBlocks.forEach((b) => b.preview()));
  await loadSource();
  for (const audience of dataflow.audiences) addAudience(audience);
  if (isNew && dataflow.audiences.length === 0) addAudience(null);
  if (!editable) for (const control of form.querySelectorAll('input, select')) control.disabled = true;

  async function loadSource() {
    const chosen = source.control.value;
    offeredAttributes = chosen ? (await get(`sources/${enc(chosen)}/attributes`)).map((a) => a.name) : [];
    offeredAudiences = chosen ? await get(`sources/${enc(chosen)}/audiences`) : [];
    const names = [...new Set([...offeredAttributes, ...dataflow.attributes])];
    attributesBox.replaceChildren(...(names.length ? names.map((n) => h('label', {},
      h('input', { type: 'checkbox', value: n, checked: dataflow.attributes.includes(n), onchange: () => { dataflow.attributes = checked(attributesBox); drawDependents(); } }), n))
      : [h('span', { class: 'hint' }, chosen ? 'This source does not list its attributes.' : 'Choose a source first.')]));
    drawDependents();
    audienceBlocks.forEach((b) => b.refreshAudiences());
  }

  /** The identity columns (identityMap.<namespace>): they may be mandatory too, so a save must not drop them. */
  function identityColumns() {
    return (identity ? identity.control.value.split(',').map((s) => s.trim()).filter(Boolean) : dataflow.identityNamespaces).map((ns) => `identityMap.${ns}`);
  }
  identity?.control.addEventListener('change', () => { dataflow.mandatoryAttributes = checked(mandatoryBox); drawDependents(); });

  function drawDependents() {
    const chosen = dataflow.attributes;
    const dedup = dataflow.deduplication?.attributes ?? [];
    mandatoryBox.replaceChildren(...[...chosen, ...identityColumns()].map((n) => h('label', {}, h('input', { type: 'checkbox', value: n, checked: dataflow.mandatoryAttributes.includes(n),
      onchange: () => { dataflow.mandatoryAttributes = checked(mandatoryBox); } }), n)));
    dedupBox.replaceChildren(...chosen.map((n) => h('label', {}, h('input', { type: 'checkbox', value: n, checked: dedup.includes(n),
      onchange: () => { dataflow.deduplication = dedupKey(); } }), n)));
  }

  function addAudience(audience) {
    const a = audience ?? { audienceId: '', fileNameTemplate: DEFAULT_TEMPLATE, mode: 'DailyFullExport', schedule: null };
    const prefix = uid('aud');
    const legend = h('legend', {}, `Audience ${audienceBlocks.length + 1}`);
    const pick = field('Audience', select([['', 'Choose an audience']], a.audienceId, { id: `${prefix}-id` }), { key: 'AudienceId' });
    const template = field('File name template', h('input', { type: 'text', id: `${prefix}-template`, value: a.fileNameTemplate ?? DEFAULT_TEMPLATE, class: 'mono' }), { key: 'FileNameTemplate' });
    const preview = h('output', { class: 'preview', for: `${prefix}-template`, 'aria-live': 'polite' });
    template.insertBefore(preview, template.lastChild);
    const mode = field('Export mode', select([['DailyFullExport', 'Export full files'], ['FirstFullThenIncremental', 'Export incremental files']], a.mode, { id: `${prefix}-mode` }), { key: 'Mode' });
    const schedule = scheduleFields(a.schedule, { idPrefix: prefix, modes: [a.mode] });
    mode.control.addEventListener('change', () => schedule.offer([mode.control.value]));
    const element = h('fieldset', { class: 'audience' }, legend, h('div', { class: 'row' }, pick, mode), template, schedule.element,
      editable ? h('button', { type: 'button', class: 'danger', onclick: () => remove() }, 'Remove audience') : null);
    let timer;
    const block = {
      element, pick, template, schedule,
      get id() { return pick.control.value; },
      read: () => ({ audienceId: pick.control.value, fileNameTemplate: template.control.value, mode: mode.control.value, schedule: schedule.read() }),
      refreshAudiences() {
        const current = pick.control.value || a.audienceId;
        const options = [['', 'Choose an audience'], ...offeredAudiences.map((o) => [o.id, o.name && o.name !== o.id ? `${o.name} (${o.id})` : o.id])];
        if (current && !offeredAudiences.some((o) => o.id === current)) options.push([current, current]);
        pick.control.replaceChildren(...options.map(([v, t]) => h('option', { value: v, selected: v === current }, t)));
      },
      async preview() {
        if (!destination.control.value) { preview.textContent = 'Choose a destination to see the file name.'; template.set(''); return; }
        try {
          const chosen = offeredAudiences.find((o) => o.id === pick.control.value);
          const { data } = await post('file-names/preview', {
            destination: destination.control.value, template: template.control.value,
            audienceId: pick.control.value || null, audienceName: chosen?.name ?? null,
            output: dataflow.output ?? null, organizationName: dataflow.organizationName ?? null, sandboxName: dataflow.sandboxName ?? null,
          });
          preview.replaceChildren('Preview: ', h('code', {}, data.fileName), data.isStatic ? ' (the same name every run)' : '');
          template.set('');
        } catch (error) {
          preview.textContent = '';
          template.set(error.errors.map((e) => e.replace(/^FileNameTemplate: /, '')).join(' '));
        }
      },
    };
    function remove() { element.remove(); audienceBlocks.splice(audienceBlocks.indexOf(block), 1); renumber(); }
    template.control.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(() => block.preview(), 200); });
    pick.control.addEventListener('change', () => block.preview());
    audienceBlocks.push(block);
    audiencesBox.append(element);
    block.refreshAudiences();
    block.preview();
    if (!editable) for (const control of element.querySelectorAll('input, select')) control.disabled = true;
    return block;
  }

  function renumber() { audienceBlocks.forEach((b, i) => { b.element.querySelector('legend').textContent = `Audience ${i + 1}`; }); }

  /** The export from the form's fields over `base`, which gives what the form does not show (the output, say). */
  function read(base = dataflow) {
    return {
      ...base,
      id: isNew ? '' : dataflow.id,
      name: name.control.value.trim(),
      source: source.control.value,
      destination: destination.control.value,
      attributes: checked(attributesBox),
      mandatoryAttributes: checked(mandatoryBox),
      deduplication: dedupKey(base),
      identityNamespaces: identity ? identity.control.value.split(',').map((s) => s.trim()).filter(Boolean) : base.identityNamespaces,
      scheduleEnabled: scheduleRun.checked,
      audiences: audienceBlocks.map((b) => b.read()),
    };
  }

  /** The key from the boxes, keeping an identity namespace the form does not edit. */
  function dedupKey(base = dataflow) {
    const attributes = checked(dedupBox);
    const namespace = base.deduplication?.identityNamespace ?? null;
    return attributes.length || namespace ? { ...base.deduplication, attributes } : null;
  }

  function clearErrors() {
    summary.replaceChildren();
    for (const f of [name, source, destination, identity, ...audienceBlocks.flatMap((b) => [b.pick, b.template, ...Object.values(b.schedule.fields)])]) f?.set('');
    for (const e of [attributesError, mandatoryError, dedupError]) e.textContent = '';
  }

  /** Puts each error of the API beside the field it names; the rest go to the summary at the top. */
  function showErrors(errors) {
    const unplaced = [];
    for (const message of errors) {
      const audience = /audience '([^']*)'/.exec(message)?.[1];
      const block = audience !== undefined ? audienceBlocks.find((b) => b.id === audience) : null;
      const target =
        block && /FileNameTemplate/.test(message) ? block.template
        : block && /Schedule/.test(message) ? { set: (m) => block.schedule.place(m) }
        : block ? block.pick
        : /MandatoryAttributes/.test(message) ? { set: (m) => { mandatoryError.textContent = m; } }
        : /Deduplication/.test(message) ? { set: (m) => { dedupError.textContent = m; } }
        : /IdentityNamespaces/.test(message) && identity ? identity
        : /Attributes/.test(message) ? { set: (m) => { attributesError.textContent = m; } }
        : /: Destination/.test(message) ? destination
        : /: Source/.test(message) ? source
        : /: Name/.test(message) ? name
        : null;
      if (target) target.set(message); else unplaced.push(message);
    }
    if (unplaced.length) summary.replaceChildren(h('p', {}, 'The export was not saved:'), h('ul', {}, unplaced.map((m) => h('li', {}, m))));
    form.querySelector('[aria-invalid=true]')?.focus();
  }

  async function save({ overwrite = false } = {}) {
    clearErrors();
    conflict.replaceChildren();
    conflict.className = '';
    let body = read();
    if (!body.name) { name.set('Enter a name for the export.'); name.control.focus(); return; }
    // Without a start date an audience has no schedule: an end date alone would be dropped without a word.
    const undated = audienceBlocks.filter((b) => b.schedule.lacksStartDate());
    if (undated.length) {
      for (const b of undated) b.schedule.fields.startDate.set('Enter a start date, or clear the end date for no schedule.');
      undated[0].schedule.fields.startDate.control.focus();
      return;
    }
    // One save at a time: a second click would send the export again (a new one's second POST refused as a duplicate).
    if (saveButton.disabled) return;
    saveButton.disabled = true;
    try {
      let saved;
      if (isNew) {
        saved = (await post('dataflows', body)).data;
      } else {
        // Mine over theirs: what the form shows is mine; what it does not show stays theirs.
        if (overwrite) {
          const theirs = await send('GET', `dataflows/${enc(id)}`);
          etag = theirs.etag;
          body = read(theirs.data);
        }
        const response = await put(`dataflows/${enc(id)}`, body, { ifMatch: etag });
        etag = response.etag;
        saved = response.data;
      }
      context.go(`#/exports/${enc(saved.id)}/runs`, { keepStatus: true, message: `Saved the export '${saved.name || saved.id}'.` });
    } catch (error) {
      if (error.status === 412) {
        conflict.className = 'conflict';
        conflict.replaceChildren(
          h('p', {}, h('strong', {}, 'Someone else changed this export since you opened it. '), 'Your changes are kept below and were not saved.'),
          h('div', { class: 'actions' },
            h('button', { type: 'button', onclick: () => context.go(`#/exports/${enc(id)}`) }, 'Discard my changes and load theirs'),
            h('button', { type: 'button', class: 'primary', onclick: () => save({ overwrite: true }) }, 'Save mine over theirs')));
        conflict.querySelector('button').focus();
      } else {
        showErrors(error.errors);
      }
    } finally {
      saveButton.disabled = false;
    }
  }
}

function checked(box) { return [...box.querySelectorAll('input[type=checkbox]:checked')].map((i) => i.value); }
