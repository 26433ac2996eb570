namespace Exports.Sdk;

/// <summary>
/// A destination with the output an export writes to it: opens partitioned writers with the output's format, splitting
/// and compression and builds the manifest. Shared by the audience and dataset planners.
/// </summary>
internal sealed record ExportTarget(DestinationDefinition Definition, ExportOutputOptions Output, IDestination Destination, IExportFormat Format)
{
    /// <summary>
    /// Finds a destination (declared, or created at run time: its current version) and the registered format of the
    /// export's output (its own, else the destination's).
    /// </summary>
    /// <exception cref="ExportValidationException">The destination or format is unknown.</exception>
    public static async ValueTask<ExportTarget> ResolveAsync(IDestinationCatalog catalog, IEnumerable<IExportFormat> formats, string destinationName, ExportOutputOptions? output, CancellationToken cancellationToken)
    {
        var definition = await catalog.FindDefinitionAsync(destinationName, cancellationToken).ConfigureAwait(false)
            ?? throw new ExportValidationException($"There is no destination '{destinationName}'.");
        var destination = await catalog.GetDestinationAsync(destinationName, cancellationToken).ConfigureAwait(false);
        output ??= definition.Output;
        var format = formats.FirstOrDefault(f => string.Equals(f.Name, output.Format.Name, StringComparison.OrdinalIgnoreCase))
            ?? throw new ExportValidationException($"Destination '{definition.Name}': Output.Format.Name '{output.Format.Name}' is not a registered format.");
        return new ExportTarget(definition, output, destination, format);
    }

    /// <summary>The manifest's compression: <c>none</c>/<c>gzip</c>, or the internal codec of formats such as Parquet.</summary>
    public string CompressionName => Format switch
    {
        { SupportsCompression: true } => Output.Format.Compression.ToString().ToLowerInvariant(),
        IInternalCompressionFormat codecs => codecs.GetCompressionName(Output.Format),
        _ => Output.Format.Settings.GetValueOrDefault("codec") ?? "internal",
    };

    /// <summary>Opens a partitioned writer into a folder with the destination's settings.</summary>
    public PartitionedFileWriter CreateWriter(OutputColumn[] columns, string exportName, string? folderPath, string baseName, string sourceId, Action<ExportedFile> onCommitted, IRunJournal? journal = null, string? stagingTag = null) =>
        new(new PartitionedFileWriterOptions
        {
            Destination = Destination,
            Format = Format,
            FormatContext = new FormatWriterContext(columns, Output.Format, exportName),
            Compression = Format.SupportsCompression ? Output.Format.Compression : ExportCompression.None,
            CompressionLevel = Output.Format.CompressionLevel,
            ParallelCompression = Output.Format.EffectiveParallelism > 1,
            FolderPath = folderPath,
            BaseName = baseName,
            MaxRowsPerFile = Output.MaxRowsPerFile,
            MaxBytesPerFile = Output.MaxBytesPerFile,
            SourceId = sourceId,
            OnFileCommitted = onCommitted,
            BeforeCommit = journal is null ? null : path => journal.BeforeCommitAsync(Definition.Name, path),
            OnPending = journal is null ? null : (path, token) => journal.PendingAsync(Definition.Name, path, token),
            OnSettled = journal is null ? null : journal.Settled,
            StagingTag = stagingTag,
        });

    /// <summary>Builds the manifest of a run's committed files.</summary>
    public ExportManifest CreateManifest(string runId, DateTimeOffset scheduledTime, string flowId, IReadOnlyList<OutputColumn> columns, IEnumerable<ManifestFile> files, DateTimeOffset exportTime) =>
        new()
        {
            FlowRunId = runId,
            ScheduledTime = scheduledTime.ToUniversalTime(),
            DataflowId = flowId,
            DestinationId = Definition.EffectiveId,
            ExportTime = exportTime.ToUniversalTime(),
            Format = Format.Name,
            Compression = CompressionName,
            Columns = [.. columns.Select(c => new ManifestColumn(c.Name, c.Type.ToString().ToLowerInvariant()))],
            ExportResults = [.. files],
        };

    /// <summary>The manifest entry of a committed file, without its audience or dataset id.</summary>
    public static ManifestFile ToManifestFile(ExportedFile file) => new()
    {
        SinkPath = file.Path,
        Name = file.Name,
        Size = file.Size,
        Rows = file.Rows,
        Sha256 = file.Sha256,
        Part = file.Part,
    };
}
