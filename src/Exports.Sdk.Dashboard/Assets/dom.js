// Small DOM building blocks shared by the screens: elements, labelled fields with an error beside them, modal dialogs
// (native <dialog>: focus trap and Escape for free) and the formats numbers, sizes and times are shown in.
let nextId = 0;

export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on')) element.addEventListener(key.slice(2).toLowerCase(), value);
    else if (key === 'class') element.className = value;
    else if (key === 'value') element.value = value;
    else if (key === 'checked') element.checked = true;
    else element.setAttribute(key, value === true ? '' : value);
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : String(child));
  }
  return element;
}

export const uid = (prefix) => `${prefix}-${++nextId}`;

/** A labelled control with its error paragraph; `set(message)` shows or clears the error beside it. */
export function field(label, control, { hint, key } = {}) {
  const id = control.id || (control.id = uid('f'));
  const error = h('p', { class: 'field-error', id: `${id}-error`, role: 'alert' });
  control.setAttribute('aria-describedby', `${id}-error`);
  const wrapper = h('div', { class: 'field', 'data-key': key }, h('label', { for: id }, label), control, hint, error);
  wrapper.control = control;
  wrapper.set = (message) => {
    error.textContent = message ?? '';
    if (message) control.setAttribute('aria-invalid', 'true'); else control.removeAttribute('aria-invalid');
  };
  return wrapper;
}

export function select(options, value, attributes = {}) {
  return h('select', attributes, options.map(([v, text]) => h('option', { value: v, selected: v === value }, text)));
}

/** A modal dialog; resolves with the value a button gives (null on Escape or Cancel). */
export function dialog(title, body, buttons) {
  return new Promise((resolve) => {
    const titleId = uid('dlg');
    const element = h('dialog', { 'aria-labelledby': titleId }, h('h2', { id: titleId }, title), body,
      h('div', { class: 'actions' }, buttons.map((b) => h('button', {
        type: 'button', class: b.class, onclick: async () => {
          if (b.onclick && (await b.onclick(element)) === false) return;
          element.close(); resolve(b.value ?? null);
        },
      }, b.label))));
    element.addEventListener('cancel', () => resolve(null));
    element.addEventListener('close', () => element.remove());
    document.body.append(element);
    element.showModal();
  });
}

export const confirm = (title, message, yes = 'Yes') =>
  dialog(title, h('p', {}, message), [{ label: 'Cancel', value: false }, { label: yes, value: true, class: 'primary' }]).then((v) => v === true);

export function status(text, { error = false, link } = {}) {
  const element = document.getElementById('status');
  element.className = error ? 'status error' : 'status';
  element.replaceChildren(text, link ? ' ' : '', link ? h('a', { href: link.href }, link.text) : '');
}

export const clearStatus = () => status('');

export const number = (n) => (n ?? 0).toLocaleString('en-US');

export function bytes(n) {
  if (!n) return '0 B';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  const i = Math.min(units.length - 1, Math.floor(Math.log(n) / Math.log(1024)));
  return `${(n / 1024 ** i).toFixed(i ? 1 : 0)} ${units[i]}`;
}

export function time(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  return `${d.toISOString().slice(0, 10)} ${d.toISOString().slice(11, 19)} UTC`;
}

/** A .NET TimeSpan ("00:01:02.5", "1.02:03:04") or seconds between two times, as "1 min 2 s". */
export function duration(value, from, to) {
  let seconds;
  if (typeof value === 'string') {
    const m = /^(?:(\d+)\.)?(\d+):(\d+):(\d+(?:\.\d+)?)$/.exec(value);
    seconds = m ? (+(m[1] ?? 0)) * 86400 + (+m[2]) * 3600 + (+m[3]) * 60 + (+m[4]) : 0;
  } else if (from) {
    seconds = ((to ? new Date(to) : new Date()) - new Date(from)) / 1000;
  } else return '';
  if (seconds < 60) return `${seconds.toFixed(seconds < 10 ? 1 : 0)} s`;
  const m = Math.floor(seconds / 60);
  return m < 60 ? `${m} min ${Math.round(seconds % 60)} s` : `${Math.floor(m / 60)} h ${m % 60} min`;
}

export const statusBadge = (value) => h('span', { class: `badge ${value}` }, value === 'PartiallySucceeded' ? 'Partially succeeded' : value);

export const flags = (value) => (value ?? '').split(',').map((s) => s.trim()).filter(Boolean);

/** Appends children, leaving out the null, undefined and false that conditional parts give. */
export const append = (parent, ...children) => parent.append(...children.flat(Infinity).filter((c) => c !== null && c !== undefined && c !== false));
