namespace Exports.Sdk;

/// <summary>A run as recorded in the store: listable per dataflow, with status, timings, metrics, files and errors.</summary>
public sealed record ExportRunRecord
{
    /// <summary>The run id.</summary>
    public required string RunId { get; init; }

    /// <summary>The dataflow id.</summary>
    public required string DataflowId { get; init; }

    /// <summary>The status.</summary>
    public required ExportRunStatus Status { get; init; }

    /// <summary>Whether <see cref="DataflowId"/> names a dataflow or a dataset export. Default <see cref="ExportFlowKind.Dataflow"/>.</summary>
    public ExportFlowKind Kind { get; init; }

    /// <summary>What started the run.</summary>
    public ExportRunTrigger Trigger { get; init; }

    /// <summary>The audiences the run exports (for a dataset export, its dataset).</summary>
    public required IReadOnlyList<string> AudienceIds { get; init; }

    /// <summary>The time the run is for.</summary>
    public required DateTimeOffset ScheduledTime { get; init; }

    /// <summary>When the run was accepted.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When it started.</summary>
    public DateTimeOffset? StartedAt { get; init; }

    /// <summary>When it ended.</summary>
    public DateTimeOffset? EndedAt { get; init; }

    /// <summary>Per audience (or dataset) results, once finished.</summary>
    public IReadOnlyList<ExportEntryResult> Entries { get; init; } = [];

    /// <summary>The manifest's path, when written.</summary>
    public string? ManifestPath { get; init; }

    /// <summary>The errors.</summary>
    public IReadOnlyList<string> Errors { get; init; } = [];

    /// <summary>The host that ran it (<c>machine/process</c>).</summary>
    public string? Host { get; init; }

    /// <summary>Who asked for it (the caller's name), when on demand.</summary>
    public string? RequestedBy { get; init; }

    /// <summary>Progress while the run runs, saved every few seconds (<see cref="ExportRunOptions.ProgressInterval"/>); null before the first save.</summary>
    public ExportRunProgress? Progress { get; init; }

    /// <summary>When someone asked to cancel the run (from any host); the host running it stops at its next progress save.</summary>
    public DateTimeOffset? CancelRequestedAt { get; init; }

    /// <summary>Who asked to cancel the run.</summary>
    public string? CancelRequestedBy { get; init; }

    /// <summary>
    /// Until when the claim of an active run holds without renewal (built-in stores; the host renews it while the run
    /// goes on). After that, a run whose host died no longer blocks its audiences and is recorded as failed.
    /// </summary>
    public DateTimeOffset? LeaseExpiresAt { get; init; }

    /// <summary>Rows read from the source over all entries.</summary>
    public long RowsRead => Entries.Sum(a => a.RowsRead);

    /// <summary>Rows exported over all entries.</summary>
    public long RowsExported => Entries.Sum(a => a.RowsExported);

    /// <summary>Rows skipped over all entries, all reasons.</summary>
    public long RowsSkipped => Entries.Sum(a => a.RowsSkipped.Values.Sum());

    /// <summary>Bytes written over all entries.</summary>
    public long Bytes => Entries.Sum(a => a.Bytes);

    /// <summary>How long it ran, once ended.</summary>
    public TimeSpan? Duration => EndedAt - StartedAt;

    /// <summary>Whether the run is queued or running.</summary>
    public bool IsActive => Status is ExportRunStatus.Queued or ExportRunStatus.Running;

    /// <summary>
    /// The destination the run writes its files to (null only in records written before it was kept from the start).
    /// </summary>
    public string? Destination { get; init; }

    /// <summary>
    /// While the run is active: every data file it has published or is publishing, recorded before each commit. Once
    /// it has ended without success: those still at the destination (a rollback that could not reach the server, or a
    /// host that died mid-run). The next run of the same export, or the next start of a host, removes them; empty
    /// after a success.
    /// </summary>
    public IReadOnlyList<string> LeftoverFiles { get; init; } = [];

    /// <summary>
    /// Uncommitted data (temp files, multipart uploads) the run's writers hold or left: recorded when a writer first
    /// holds some, dropped when it commits or aborts. What stays after the run ended is removed with
    /// <see cref="LeftoverFiles"/>, through the destination's <see cref="IPendingWriteCleanup"/>.
    /// </summary>
    public IReadOnlyList<LeftoverWrite> LeftoverWrites { get; init; } = [];

    /// <summary>The record of a finished run.</summary>
    /// <param name="result">The run's result.</param>
    /// <returns>The updated record.</returns>
    public ExportRunRecord Complete(ExportRunResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return this with
        {
            Status = result.Status,
            StartedAt = result.StartedAt,
            EndedAt = result.EndedAt,
            Entries = result.Entries,
            ManifestPath = result.ManifestPath,
            Errors = result.Errors,
        };
    }
}
