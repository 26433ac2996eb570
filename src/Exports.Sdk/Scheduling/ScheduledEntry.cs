namespace Exports.Sdk;

/// <summary>
/// One thing a scheduler runs on a schedule: an activated audience of a dataflow, or a dataset export. Schedulers key
/// their work by (<see cref="ExportId"/>, <see cref="EntryId"/>); the slot rules (<see cref="IExportSlotRunner"/>) do
/// the rest for either kind.
/// </summary>
public sealed record ScheduledEntry
{
    /// <summary>Which kind of export.</summary>
    public required ExportFlowKind Kind { get; init; }

    /// <summary>The dataflow or dataset export id.</summary>
    public required string ExportId { get; init; }

    /// <summary>The audience id, or the dataset id.</summary>
    public required string EntryId { get; init; }

    /// <summary>The schedule.</summary>
    public required ExportSchedule Schedule { get; init; }

    /// <summary>Whether each run reads only what changed since the previous one.</summary>
    public bool IsIncremental { get; init; }

    /// <summary>The dataflow, for an audience entry.</summary>
    public DataflowDefinition? Dataflow { get; init; }

    /// <summary>The activated audience, for an audience entry.</summary>
    public AudienceActivation? Audience { get; init; }

    /// <summary>The dataset export, for a dataset entry.</summary>
    public DatasetExportDefinition? DatasetExport { get; init; }

    /// <summary>The audience entry of a dataflow.</summary>
    /// <param name="dataflow">The dataflow.</param>
    /// <param name="audience">The activated audience (with a schedule).</param>
    /// <returns>The entry.</returns>
    public static ScheduledEntry For(DataflowDefinition dataflow, AudienceActivation audience)
    {
        ArgumentNullException.ThrowIfNull(dataflow);
        ArgumentNullException.ThrowIfNull(audience);
        return new ScheduledEntry
        {
            Kind = ExportFlowKind.Dataflow,
            ExportId = dataflow.Id,
            EntryId = audience.AudienceId,
            Schedule = audience.Schedule ?? throw new ArgumentException($"Audience '{audience.AudienceId}' of dataflow '{dataflow.Id}' has no schedule.", nameof(audience)),
            IsIncremental = audience.Mode == ExportMode.FirstFullThenIncremental,
            Dataflow = dataflow,
            Audience = audience,
        };
    }

    /// <summary>The entry of a dataset export.</summary>
    /// <param name="export">The dataset export (with a schedule).</param>
    /// <returns>The entry.</returns>
    public static ScheduledEntry For(DatasetExportDefinition export)
    {
        ArgumentNullException.ThrowIfNull(export);
        return new ScheduledEntry
        {
            Kind = ExportFlowKind.DatasetExport,
            ExportId = export.Id,
            EntryId = export.DatasetId,
            Schedule = export.Schedule ?? throw new ArgumentException($"Dataset export '{export.Id}' has no schedule.", nameof(export)),
            IsIncremental = export.Mode == ExportMode.FirstFullThenIncremental,
            DatasetExport = export,
        };
    }

    /// <inheritdoc />
    public override string ToString() => Kind == ExportFlowKind.Dataflow ? $"dataflow '{ExportId}', audience '{EntryId}'" : $"dataset export '{ExportId}'";
}
