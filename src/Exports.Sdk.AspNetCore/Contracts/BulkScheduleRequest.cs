namespace Exports.Sdk.AspNetCore;

/// <summary>
/// The body of <c>POST dataflows/schedules</c>: several dataflows at once, each with the ETag it was read with; either
/// keep their individual schedules (only switch them on or off) or define one new schedule for all.
/// </summary>
/// <param name="Dataflows">Dataflow id to ETag.</param>
/// <param name="Enabled">Switch them on or off; null leaves that as it is.</param>
/// <param name="Schedule">A new schedule for every audience of every dataflow; null keeps the individual schedules.</param>
public sealed record BulkScheduleRequest(IReadOnlyDictionary<string, string> Dataflows, bool? Enabled, ExportSchedule? Schedule);
