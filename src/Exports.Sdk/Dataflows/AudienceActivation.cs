namespace Exports.Sdk;

/// <summary>An audience activated on a dataflow, with how its files are named.</summary>
public sealed class AudienceActivation
{
    /// <summary>The audience id in the dataflow's source.</summary>
    public string AudienceId { get; set; } = "";

    /// <summary>The file-name template. Default <see cref="Sdk.FileNameTemplate.Default"/>.</summary>
    public string FileNameTemplate { get; set; } = Sdk.FileNameTemplate.Default;

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
