// The schedule fields the Schedule pane and the add/edit screen share: frequency, start date, end date, start time
// (UTC) and trigger, each labelled; read() gives the API's schedule object, or null without a start date; place()
// puts an error of the API about a schedule beside its field; offer() limits the frequencies to those of the modes.
import { h, field, select } from '../dom.js';
import { frequenciesFor } from './schedule-text.js';

export function scheduleFields(schedule, { idPrefix, modes = [] } = {}) {
  const s = schedule ?? { frequency: 'Daily', startDate: '', endDate: null, startTime: '00:00', trigger: 'Scheduled' };
  const id = (name) => (idPrefix ? `${idPrefix}-${name}` : undefined);
  const frequency = field('Frequency', select([], '', { id: id('frequency') }), { key: 'Frequency' });
  /** Offers the frequencies the modes allow, keeping the chosen one if it is among them (else the first, Daily where it can). */
  function offer(forModes) {
    const choices = frequenciesFor(forModes);
    const current = frequency.control.value || s.frequency;
    const chosen = choices.some(([v]) => v === current) ? current : (choices.find(([v]) => v === 'Daily') ?? choices[0])?.[0];
    frequency.control.replaceChildren(...choices.map(([v, text]) => h('option', { value: v, selected: v === chosen }, text)));
  }
  offer(modes);
  const startDate = field('Start date', h('input', { type: 'date', id: id('start-date'), value: s.startDate ?? '' }), { key: 'StartDate' });
  const endDate = field('End date', h('input', { type: 'date', id: id('end-date'), value: s.endDate ?? '' }), { key: 'EndDate' });
  const startTime = field('Start time (UTC)', h('input', { type: 'time', id: id('start-time'), value: s.startTime ?? '00:00' }), { key: 'StartTime' });
  const trigger = field('Trigger', select([['Scheduled', 'At the scheduled time'], ['AfterSegmentEvaluation', 'After audience evaluation']], s.trigger, { id: id('trigger') }), { key: 'Trigger' });
  const element = h('div', { class: 'row' }, frequency, startDate, endDate, startTime, trigger);
  return {
    element,
    fields: { frequency, startDate, endDate, startTime, trigger },
    read() {
      if (!startDate.control.value) return null;
      return {
        frequency: frequency.control.value,
        startDate: startDate.control.value,
        endDate: endDate.control.value || null,
        startTime: startTime.control.value || '00:00',
        trigger: trigger.control.value,
      };
    },
    /** Whether an end date was entered without a start date: the schedule would be dropped, not saved. */
    lacksStartDate() { return !startDate.control.value && !!endDate.control.value; },
    /** Shows a message about the schedule (Schedule.EndDate, .StartTime, .Frequency, else the start date) beside its field. */
    place(message) {
      (/EndDate/.test(message) ? endDate : /StartTime/.test(message) ? startTime : /Frequency/.test(message) ? frequency : startDate).set(message);
    },
    offer,
    setDisabled(disabled) { for (const f of [frequency, startDate, endDate, startTime, trigger]) f.control.disabled = disabled; },
  };
}
