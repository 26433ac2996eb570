// How a schedule reads in a list: "Daily from 2026-01-01 at 02:00 UTC", "Off" when switched off.
const names = { Once: 'Once', Daily: 'Daily', Weekly: 'Weekly', Monthly: 'Monthly', Every3Hours: 'Every 3 hours', Every6Hours: 'Every 6 hours', Every8Hours: 'Every 8 hours', Every9Hours: 'Every 9 hours', Every12Hours: 'Every 12 hours' };

// The frequencies the server takes for each export mode (DataflowValidator): only these are offered.
const byMode = {
  DailyFullExport: ['Once', 'Daily', 'Weekly', 'Monthly'],
  FirstFullThenIncremental: ['Daily', 'Every3Hours', 'Every6Hours', 'Every8Hours', 'Every12Hours'],
};

/** The [value, text] choices valid for every one of the modes (one schedule for several audiences must suit them all). */
export function frequenciesFor(modes) {
  const allowed = Object.keys(names).filter((f) => modes.every((m) => (byMode[m] ?? [f]).includes(f)));
  return allowed.map((f) => [f, names[f]]);
}

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
