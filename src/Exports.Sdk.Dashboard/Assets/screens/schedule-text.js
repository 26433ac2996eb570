// How a schedule reads in a list: "Daily from 2026-01-01 at 02:00 UTC", "Off" when switched off.
const names = { Once: 'Once', Daily: 'Daily', Weekly: 'Weekly', Monthly: 'Monthly', Every3Hours: 'Every 3 hours', Every6Hours: 'Every 6 hours', Every8Hours: 'Every 8 hours', Every9Hours: 'Every 9 hours', Every12Hours: 'Every 12 hours' };

export const frequencies = Object.entries(names);

export function one(schedule) {
  if (!schedule) return 'No schedule';
  const until = schedule.endDate ? ` until ${schedule.endDate}` : '';
  const trigger = schedule.trigger === 'AfterSegmentEvaluation' ? ', after audience evaluation' : '';
  return `${names[schedule.frequency] ?? schedule.frequency} from ${schedule.startDate} at ${schedule.startTime} UTC${until}${trigger}`;
}

export function ofDataflow(dataflow) {
  if (!dataflow.scheduleEnabled) return 'Off';
  const texts = [...new Set(dataflow.audiences.map((a) => one(a.schedule)))];
  return texts.length === 1 ? texts[0] : `Individual schedules (${dataflow.audiences.length} audiences)`;
}
