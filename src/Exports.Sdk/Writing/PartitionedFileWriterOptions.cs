using System.IO.Compression;

namespace Exports.Sdk;

/// <summary>Where and how a <see cref="PartitionedFileWriter"/> writes.</summary>
internal sealed record PartitionedFileWriterOptions
{
    public required IDestination Destination { get; init; }

    public required IExportFormat Format { get; init; }

    public required FormatWriterContext FormatContext { get; init; }

    public ExportCompression Compression { get; init; }

    public CompressionLevel CompressionLevel { get; init; } = CompressionLevel.Fastest;

    /// <summary>Compress blocks on every core (multi-member gzip).</summary>
    public bool ParallelCompression { get; init; } = Environment.ProcessorCount > 1;

    public string? FolderPath { get; init; }

    /// <summary>The rendered file name without part suffix or extension.</summary>
    public required string BaseName { get; init; }

    public long MaxRowsPerFile { get; init; } = 5_000_000;

    public long? MaxBytesPerFile { get; init; }

    /// <summary>The audience or dataset id recorded with each file.</summary>
    public required string SourceId { get; init; }

    public Action<ExportedFile>? OnFileCommitted { get; init; }

    /// <summary>
    /// Set for fixed file names: each part is written under a hidden run-scoped name (<c>.name.csv.&lt;tag&gt;.staged</c>)
    /// and moved over its final name by <see cref="PartitionedFileWriter.PublishAsync"/>.
    /// </summary>
    public string? StagingTag { get; init; }

    /// <summary>Awaited when a part's writer first holds uncommitted data at the destination (<see cref="IPendingWrite"/>).</summary>
    public Func<string, string, ValueTask>? OnPending { get; init; }

    /// <summary>Called when a part's writer that reported pending data committed or removed it.</summary>
    public Action<string>? OnSettled { get; init; }

    /// <summary>Awaited before each part is committed, with its path: the run records it first, so a crash cannot hide it.</summary>
    public Func<string, ValueTask>? BeforeCommit { get; init; }
}
