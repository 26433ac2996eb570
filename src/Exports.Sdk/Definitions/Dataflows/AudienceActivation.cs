namespace Exports.Sdk;

/// <summary>An audience activated on a dataflow, with how its files are named.</summary>
public sealed class AudienceActivation
{
    /// <summary>The audience id in the dataflow's source.</summary>
    public string AudienceId { get; set; } = "";

    /// <summary>The file-name template used when an activation names none: destination, audience id, date and time.</summary>
    public const string DefaultFileNameTemplate = "%DESTINATION_NAME%_%SEGMENT_ID%_%DATETIME(YYYYMMdd_HHmmss)%";

    /// <summary>The file-name template. Default <see cref="DefaultFileNameTemplate"/>.</summary>
    public string FileNameTemplate { get; set; } = DefaultFileNameTemplate;

    /// <summary>Full every time, or full first and then only changes. Default <see cref="ExportMode.DailyFullExport"/>.</summary>
    public ExportMode Mode { get; set; } = ExportMode.DailyFullExport;

    /// <summary>When the audience is exported; null for on-demand only.</summary>
    public ExportSchedule? Schedule { get; set; }

    /// <summary>Returns a deep copy.</summary>
    /// <returns>The copy.</returns>
    public AudienceActivation Clone() => new()
    {
        AudienceId = AudienceId,
        FileNameTemplate = FileNameTemplate,
        Mode = Mode,
        Schedule = Schedule?.Clone(),
    };
}
