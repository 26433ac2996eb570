using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using global::Quartz;

namespace Exports.Sdk.Scheduling.Quartz;

/// <summary>Names of the Quartz jobs (one per dataflow audience or dataset export), their triggers and their data.</summary>
internal static class SlotJobKeys
{
    public const string Group = "exports";
    public const string Kind = "kind";
    public const string DataflowId = "dataflowId";
    public const string AudienceId = "audienceId";
    public const string Signature = "scheduleSignature";
    public const string EvaluatedAt = "evaluatedAt";

    public static JobKey Job(string dataflowId, string audienceId) => new($"{dataflowId}|{audienceId}", Group);

    /// <summary>A trigger per wake time: two hosts that schedule the same wake collide on the key instead of firing twice.</summary>
    public static TriggerKey Trigger(JobKey job, DateTimeOffset wakeKey, string kind) =>
        new($"{job.Name}|{kind}|{wakeKey.UtcTicks.ToString(CultureInfo.InvariantCulture)}", Group);

    /// <summary>What a schedule edit changes; a job whose signature differs gets new triggers.</summary>
    public static string SignatureOf(ExportSchedule schedule) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('|',
            schedule.Frequency, schedule.StartDate.ToString("O", CultureInfo.InvariantCulture), schedule.EndDate?.ToString("O", CultureInfo.InvariantCulture),
            schedule.StartTime, schedule.Trigger))))[..16];
}
