namespace Exports.Sdk;

/// <summary>What to run.</summary>
internal sealed record RunStart
{
    public required IReadOnlyList<string> AudienceIds { get; init; }

    public ExportRunTrigger Trigger { get; init; }

    public string? RunId { get; init; }

    public DateTimeOffset? ScheduledTime { get; init; }

    public IReadOnlyDictionary<string, DateTimeOffset>? ChangedSince { get; init; }

    /// <summary>Per audience, the scheduler's incremental window; it takes precedence over <see cref="ChangedSince"/>.</summary>
    public IReadOnlyDictionary<string, IncrementalWindow>? Windows { get; init; }

    public string? RequestedBy { get; init; }
}
