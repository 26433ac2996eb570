// The Schedule pane, for one or several selected exports: "Schedule run" on or off and, for several, either keep
// their individual schedules or define one new schedule for all. One request, all or nothing.
import { post } from '../api.js';
import { h, dialog, status } from '../dom.js';
import { scheduleFields } from './schedule-fields.js';

export async function openSchedulePane(items) {
  const several = items.length > 1;
  const first = items[0].dataflow;
  // Exports whose switches differ show it as mixed, and keep their own unless it is touched.
  const mixed = new Set(items.map((i) => i.dataflow.scheduleEnabled)).size > 1;
  const enabled = h('input', { type: 'checkbox', id: 'schedule-run', role: 'switch', checked: items.every((i) => i.dataflow.scheduleEnabled) });
  enabled.indeterminate = mixed;
  let switched = false;
  enabled.addEventListener('change', () => { switched = true; });
  // A new schedule replaces every audience's, so only frequencies all their modes allow are offered.
  const modes = [...new Set(items.flatMap((i) => i.dataflow.audiences.map((a) => a.mode)))];
  const fields = scheduleFields(first.audiences.find((a) => a.schedule)?.schedule, { idPrefix: 'pane', modes });
  const keep = h('input', { type: 'radio', name: 'schedule-mode', id: 'schedule-keep', value: 'keep', checked: true });
  const replace = h('input', { type: 'radio', name: 'schedule-mode', id: 'schedule-replace', value: 'replace' });
  const alert = h('p', { class: 'alert', role: 'alert' });
  let edited = false;
  fields.element.addEventListener('input', () => { edited = true; });
  fields.element.addEventListener('change', () => { edited = true; });
  const sync = () => fields.setDisabled(several && keep.checked);
  keep.addEventListener('change', sync);
  replace.addEventListener('change', sync);
  sync();

  const body = h('div', {},
    h('p', { class: 'hint' }, several ? `${items.length} exports selected: ${items.map((i) => i.dataflow.name || i.dataflow.id).join(', ')}.`
      : `A changed schedule applies to every audience of '${first.name || first.id}'.`),
    h('div', { class: 'field' }, h('label', {}, enabled, ' Schedule run')),
    several ? h('fieldset', {}, h('legend', {}, 'Schedules'),
      h('div', { class: 'checks' }, h('label', { for: 'schedule-keep' }, keep, 'Keep individual schedules'),
        h('label', { for: 'schedule-replace' }, replace, 'Define new schedule for all selected exports'))) : null,
    fields.element,
    alert);

  return dialog(several ? 'Schedule selected exports' : 'Schedule', body, [
    { label: 'Cancel', value: false },
    {
      label: 'Save schedule', class: 'primary', value: true,
      onclick: async () => {
        // One export: only a changed field replaces its audiences' schedules; the switch alone keeps them.
        const replacing = several ? replace.checked : edited;
        const schedule = replacing ? fields.read() : null;
        for (const f of Object.values(fields.fields)) f.set('');
        fields.fields.startDate.set(replacing && !schedule ? 'Enter a start date.' : '');
        if (replacing && !schedule) return false;
        if (mixed && !switched && !replacing) {
          alert.textContent = 'Nothing to save: switch the schedules on or off, or define a new schedule.';
          return false;
        }
        try {
          await post('dataflows/schedules', {
            dataflows: Object.fromEntries(items.map((i) => [i.dataflow.id, i.eTag])),
            enabled: mixed && !switched ? null : enabled.checked,
            schedule,
          });
          status(several ? `Saved the schedule of ${items.length} exports.` : `Saved the schedule of '${first.name || first.id}'.`);
          return true;
        } catch (error) {
          if (error.status === 412) {
            alert.textContent = 'One of the selected exports was changed by someone else since this page was loaded; nothing was saved. Close, reload and try again.';
            return false;
          }
          // A schedule's error stands beside its field; the rest (an export that cannot take it) above.
          for (const m of error.errors.filter((e) => /Schedule\./.test(e))) fields.place(m);
          alert.textContent = error.errors.filter((m) => !/Schedule\./.test(m)).join(' ');
          return false;
        }
      },
    },
  ]);
}
