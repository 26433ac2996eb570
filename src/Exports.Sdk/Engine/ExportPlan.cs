namespace Exports.Sdk;

/// <summary>A run as the pipeline executes it: the target, the entries, the manifest's identity and the failure rule.</summary>
internal sealed class ExportPlan
{
    /// <summary>The run id.</summary>
    public required string RunId { get; init; }

    /// <summary>The dataflow or dataset export id (manifest, telemetry, logs).</summary>
    public required string FlowId { get; init; }

    /// <summary>What the flow is, for logs: <c>dataflow</c> or <c>dataset export</c>.</summary>
    public required string FlowKind { get; init; }

    /// <summary>How run-level messages name the flow: <c>Dataflow 'x'</c>.</summary>
    public required string FlowName { get; init; }

    /// <summary>The time the run is for.</summary>
    public required DateTimeOffset ScheduledTime { get; init; }

    /// <summary>The destination and its format.</summary>
    public required ExportTarget Target { get; init; }

    /// <summary>The folder of the manifest.</summary>
    public required string? ManifestFolder { get; init; }

    /// <summary>The entries, in order.</summary>
    public required IReadOnlyList<ExportEntryPlan> Entries { get; init; }

    /// <summary>The manifest's columns when no entry produced any.</summary>
    public required IReadOnlyList<OutputColumn> DefaultColumns { get; init; }

    /// <summary>
    /// True: any failure (an entry's or the manifest's) fails the run and removes every file (dataset exports, whose
    /// watermark must agree with the destination). False: a failed entry is removed and the others go on (audiences).
    /// </summary>
    public bool AllOrNothing { get; init; }

    /// <summary>Turns a committed file into its manifest entry (with its audience or dataset id).</summary>
    public required Func<ExportedFile, ManifestFile> ToManifestFile { get; init; }

    /// <summary>The folder of the <c>latest/</c> manifest copy (<see cref="ExportOutputOptions.WriteLatest"/>).</summary>
    public required string? LatestFolder { get; init; }
}
