// "Export file now": pick audiences of the export, confirm with Yes, then the message that the export started with a
// link to its run. The API's refusals (a run already in progress; audiences not in the export or outside its
// schedule) are shown as they are.
import { post, enc } from '../api.js';
import { h, dialog, status } from '../dom.js';

export async function openExportNow(dataflow, { onStarted } = {}) {
  const boxes = dataflow.audiences.map((a) => h('input', { type: 'checkbox', value: a.audienceId, checked: dataflow.audiences.length === 1 }));
  const alert = h('p', { class: 'alert', role: 'alert' });
  const picked = await dialog('Export file now', h('div', {},
    h('p', {}, `Choose the audiences of '${dataflow.name || dataflow.id}' to export in full now. This adds one export; the schedule is unchanged.`),
    h('fieldset', {}, h('legend', {}, 'Audiences'),
      h('div', { class: 'checks' }, dataflow.audiences.map((a, i) => h('label', {}, boxes[i], a.audienceId)))),
    alert), [
    { label: 'Cancel', value: null },
    {
      label: 'Export file now', class: 'primary',
      onclick: () => {
        if (!boxes.some((b) => b.checked)) { alert.textContent = 'Choose at least one audience.'; return false; }
        return true;
      },
      value: 'next',
    },
  ]);
  if (picked !== 'next') return null;

  const audienceIds = boxes.filter((b) => b.checked).map((b) => b.value);
  const refusal = h('p', { class: 'alert', role: 'alert' });
  let run = null;
  await dialog('Export file now', h('div', {},
    h('p', {}, `Export files now for ${audienceIds.length === 1 ? `the audience ${audienceIds[0]}` : `${audienceIds.length} audiences`}?`),
    refusal), [
    { label: 'Cancel', value: null },
    {
      label: 'Yes', class: 'primary',
      onclick: async () => {
        try {
          run = (await post(`dataflows/${enc(dataflow.id)}/export-now`, { audienceIds })).data;
          return true;
        } catch (error) {
          refusal.textContent = error.message;
          return false;
        }
      },
    },
  ]);
  if (run) {
    status('The export has started.', { link: { href: `#/runs/${enc(run.runId)}`, text: 'View run' } });
    onStarted?.(run);
  }
  return run;
}
