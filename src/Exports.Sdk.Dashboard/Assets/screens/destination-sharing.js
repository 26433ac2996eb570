// Who a destination is shared with (seed 002: contributors who may use it): View or Edit per contributor, changed one
// at a time with the destination's ETag. A change redraws only this section, so edits in the form above are kept.
import { put, del, enc } from '../api.js';
import { h, field, select, status } from '../dom.js';

export async function render(context, destination, etag, saved) {
  const section = h('section', { 'aria-labelledby': 'sharing-title' });
  const manage = !destination.isReadOnly && destination.canManage && context.can('ManageDestinations');
  draw(destination.sharedWith);
  return section;

  function draw(sharedWith, focus) {
    const error = h('p', { class: 'errors', role: 'alert' });
    const contributor = field('Contributor', h('input', { type: 'text', autocomplete: 'off', placeholder: 'user name' }));
    const access = field('Access', select([['View', 'View: see it and its exports'], ['Edit', 'Edit: also edit and run its exports']], 'View'));

    async function change(user, level) {
      error.textContent = '';
      try {
        const path = `destinations/${enc(destination.name)}/shares/${enc(user)}`;
        const response = level ? await put(path, { access: level }, { ifMatch: etag() }) : await del(path, { ifMatch: etag() });
        saved(response);
        draw(response.data.sharedWith, true);
        status(level ? `Shared '${destination.name}' with ${user} (${level}).` : `Stopped sharing '${destination.name}' with ${user}.`);
      } catch (failure) {
        error.textContent = failure.status === 412 ? 'Someone else changed this destination: reload it and try again.' : failure.message;
      }
    }

    const entries = Object.entries(sharedWith ?? {});
    section.replaceChildren(
      h('h2', { id: 'sharing-title', tabindex: '-1' }, 'Shared with'),
      entries.length === 0 ? h('p', { class: 'hint' }, 'Not shared with any contributor.') : h('ul', {}, entries.map(([user, level]) => h('li', {},
        `${user}: ${level}`, manage ? h('button', { type: 'button', 'aria-label': `Stop sharing with ${user}`, onclick: () => change(user, null) }, 'Remove') : null))),
      manage ? h('form', { onsubmit: (event) => {
        event.preventDefault();
        const user = contributor.control.value.trim();
        if (!user) { contributor.set('Enter the contributor\'s user name.'); contributor.control.focus(); return; }
        change(user, access.control.value);
      } }, contributor, access, h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Share'))) : null,
      error);
    // The button pressed is gone with the redraw: keep the keyboard in this section.
    if (focus) section.querySelector('h2').focus();
  }
}
