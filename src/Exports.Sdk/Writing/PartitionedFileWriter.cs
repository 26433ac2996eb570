namespace Exports.Sdk;

/// <summary>
/// Streams rows into numbered parts (<c>name.csv</c>, <c>name_2.csv</c>, …): format → optional gzip → checksum →
/// destination writer. A part is committed only when complete; <see cref="RollbackAsync"/> aborts the open part and
/// deletes the committed ones, so a failed export leaves nothing behind. Memory does not depend on the row count.
/// With fixed file names the parts are staged under run-scoped names and published as a set (<see cref="PublishAsync"/>).
/// </summary>
internal sealed class PartitionedFileWriter : IAsyncDisposable
{
    /// <summary>Bytes kept free below a byte limit for what closing a part adds (the gzip trailer).</summary>
    private const int ByteLimitMargin = 64;

    /// <summary>
    /// For formats that cannot say what they hold (Parquet's row groups): the share of a byte limit written on an
    /// estimate between two measurements, each of which flushes the format.
    /// </summary>
    private const int ByteLimitStretchDivisor = 4;

    /// <summary>A part within 1/100 of its byte limit is full.</summary>
    private const int ByteLimitFillTolerance = 100;

    /// <summary>
    /// A gzip part about to close on an estimate whose slack is over 1/40 of its limit is settled first (what is held and
    /// being compressed is written) and looked at again.
    /// </summary>
    private const int ByteLimitSettleDivisor = 40;

    /// <summary>
    /// The most rows between two size checks: a row size seen on few rows is not trusted further. Rows that grow
    /// between two checks by more than what is left of the limit can overflow a part; this bounds how many such rows
    /// there can be. It is also the formatting pipeline's step, so checks this often cost it no parallelism.
    /// </summary>
    private const int ByteLimitMaxRowsBetweenMeasurements = 8_192;

    private readonly PartitionedFileWriterOptions _options;
    private readonly List<ExportedFile> _committed = [];
    private readonly List<string> _written = [];

    // A part whose commit began (its path recorded as a leftover) but did not return: it may or may not exist.
    private string? _uncertain;
    private bool _published;
    private Part? _current;
    private long _committedBytes;
    private double _bytesPerRow;
    private double _gzipRatio;

    public PartitionedFileWriter(PartitionedFileWriterOptions options)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxRowsPerFile, 1);
        _options = options;
    }

    /// <summary>The files committed so far, in part order.</summary>
    public IReadOnlyList<ExportedFile> CommittedFiles => _committed;

    /// <summary>Rows written, in committed and open parts.</summary>
    public long RowsWritten { get; private set; }

    /// <summary>Bytes that reached the destination, in committed and open parts.</summary>
    public long BytesWritten => _committedBytes + (_current?.Checksum.BytesWritten ?? 0);

    /// <summary>The number of the part being written (0 before the first).</summary>
    public int CurrentPart => _current?.Number ?? _committed.Count;

    public async ValueTask WriteAsync(RowBatch batch, ReadOnlyMemory<int> rows, CancellationToken cancellationToken)
    {
        var offset = 0;
        while (offset < rows.Length)
        {
            _current ??= await OpenPartAsync(_committed.Count + 1, cancellationToken).ConfigureAwait(false);
            var part = _current;
            var room = _options.MaxRowsPerFile - part.Rows;
            var take = (int)Math.Min(rows.Length - offset, room);
            if (_options.MaxBytesPerFile is { } limit)
            {
                take = (int)Math.Min(take, ChunkRows(part, limit));
            }

            await part.Format.WriteAsync(batch, rows.Slice(offset, take), cancellationToken).ConfigureAwait(false);
            // Other writers (a multipart upload) name theirs only once data reached the store.
            await RecordPendingAsync(part).ConfigureAwait(false);

            part.Rows += take;
            RowsWritten += take;
            offset += take;

            if (part.Rows >= _options.MaxRowsPerFile || await ReachedByteLimitAsync(part, cancellationToken).ConfigureAwait(false))
            {
                await CommitCurrentAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Commits the open part; writes a header-only file first when nothing was written and one is wanted.</summary>
    public async ValueTask CompleteAsync(bool writeWhenEmpty, CancellationToken cancellationToken)
    {
        if (_current is null && _committed.Count == 0 && writeWhenEmpty)
        {
            _current = await OpenPartAsync(1, cancellationToken).ConfigureAwait(false);
        }

        if (_current is not null)
        {
            await CommitCurrentAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Aborts the open part and deletes the committed parts (best effort; the parts left and why are returned).</summary>
    public async ValueTask<IReadOnlyList<(string Path, Exception Error)>> RollbackAsync()
    {
        var failures = new List<(string, Exception)>();
        await AbortCurrentAsync().ConfigureAwait(false);
        // Published files replaced the previous set: removing them would leave the fixed names empty.
        foreach (var path in _published ? [] : WrittenPaths)
        {
            try
            {
                // Not cancellable: the rollback must finish even when the run was cancelled.
                await _options.Destination.DeleteAsync(path, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                failures.Add((path, ex));
            }
        }

        _committed.Clear();
        _written.Clear();
        _uncertain = null;
        _committedBytes = 0;
        return failures;
    }

    /// <summary>
    /// The paths the parts were written to (their final paths, or the staged ones with fixed names), with a part's whose
    /// commit did not return.
    /// </summary>
    public IReadOnlyList<string> WrittenPaths => _uncertain is null ? _written : [.. _written, _uncertain];

    /// <summary>
    /// Fixed names: moves every staged part over its final name, then removes the parts of an earlier run beyond this
    /// run's last one (<c>name_3.csv</c> after a run of two parts). Nothing to do without staging.
    /// </summary>
    /// <returns>
    /// Why stale parts could not be removed (e.g. a destination that may not list), or null: the new set is published
    /// either way, so this is reported, not a failure.
    /// </returns>
    /// <exception cref="DestinationException">A move failed.</exception>
    public async ValueTask<Exception?> PublishAsync(CancellationToken cancellationToken)
    {
        if (_options.StagingTag is null || _published)
        {
            return null;
        }

        var mover = (IDestinationMove)_options.Destination;
        for (var i = 0; i < _committed.Count; i++)
        {
            await mover.MoveAsync(_written[i], _committed[i].Path, cancellationToken).ConfigureAwait(false);
        }

        _published = true;
        try
        {
            var current = _committed.Select(f => f.Path).ToHashSet(StringComparer.Ordinal);
            var folder = _options.FolderPath is { Length: > 0 } f ? f.TrimEnd('/') + "/" : "";
            var stale = new List<string>();
            await foreach (var file in _options.Destination.ListAsync(folder + PartName(1)[..1], cancellationToken).ConfigureAwait(false))
            {
                if (!current.Contains(file.Path) && file.Path.StartsWith(folder, StringComparison.Ordinal) && IsPartName(file.Path[folder.Length..]))
                {
                    stale.Add(file.Path);
                }
            }

            foreach (var path in stale)
            {
                await _options.Destination.DeleteAsync(path, cancellationToken).ConfigureAwait(false);
            }

            return null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return ex;
        }
    }

    private string Extension => "." + _options.Format.FileExtension + (_options.Compression == ExportCompression.Gzip ? ".gz" : "");

    /// <summary>Whether a file name is one of this export's part names (<c>name.csv</c>, <c>name_2.csv</c>, …).</summary>
    private bool IsPartName(string name)
    {
        var extension = Extension;
        if (name.Contains('/', StringComparison.Ordinal) || !name.EndsWith(extension, StringComparison.Ordinal))
        {
            return false;
        }

        if (name == FileNameSanitizer.Fit(_options.BaseName, extension) + extension)
        {
            return true;
        }

        var underscore = name.LastIndexOf('_');
        return underscore > 0
            && int.TryParse(name.AsSpan(underscore + 1, name.Length - extension.Length - underscore - 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number)
            && number > 1
            && name == PartName(number);
    }

    private string PartName(int number)
    {
        var suffix = (number > 1 ? "_" + number.ToString(System.Globalization.CultureInfo.InvariantCulture) : "") + Extension;
        // With staging, the staged name must fit too: the final name leaves room for what staging adds.
        return FileNameSanitizer.Fit(_options.BaseName, suffix + (StagedName("") ?? "")) + suffix;
    }

    /// <summary>The hidden run-scoped name a part is staged under (<c>.name.csv.&lt;tag&gt;.staged</c>); null without staging.</summary>
    private string? StagedName(string name) => _options.StagingTag is { } tag ? $".{name}.{tag}.staged" : null;

    public ValueTask DisposeAsync() => AbortCurrentAsync();

    /// <summary>
    /// Rows to write before the next size check: one row until a row's size is known; then half of what still fits,
    /// at most <see cref="ByteLimitMaxRowsBetweenMeasurements"/>, so a part approaches its limit without crossing it.
    /// Formats that must be flushed to be measured write a stretch of a quarter of the limit on the estimate first.
    /// </summary>
    private long ChunkRows(Part part, long limit)
    {
        if (_bytesPerRow <= 0)
        {
            return 1;
        }

        double rows;
        if (Estimate(part) is { } estimate)
        {
            rows = (limit - ByteLimitMargin - estimate.Size - estimate.Uncertainty) / _bytesPerRow / 2;
        }
        else
        {
            var stretch = limit / ByteLimitStretchDivisor;
            var room = limit - ByteLimitMargin - EstimatedBytes(part);
            rows = room > 2 * stretch ? stretch / _bytesPerRow : room / _bytesPerRow / 2;
        }

        return Math.Clamp((long)rows, 1, ByteLimitMaxRowsBetweenMeasurements);
    }

    /// <summary>
    /// The part's size without a flush, for formats that say what they hold: what reached the destination, plus what
    /// the formatter and gzip still hold at the compression ratio seen so far (1, an upper bound, before any block was
    /// compressed). The uncertainty allows the held bytes to compress an eighth worse than that. Null for other formats.
    /// </summary>
    private (long Size, long Uncertainty)? Estimate(Part part)
    {
        if (part.Format is not IBufferingFormatWriter buffering)
        {
            return null;
        }

        var held = buffering.BufferedBytes;
        if (part.Gzip is not { } gzip)
        {
            return (part.Checksum.BytesWritten + held, 0);
        }

        var compressedIn = gzip.CompressedInput;
        if (compressedIn > 0)
        {
            _gzipRatio = gzip.CompressedOutput / (double)compressedIn;
        }

        var pending = (long)((held + gzip.BytesIn - compressedIn) * (_gzipRatio > 0 ? _gzipRatio : 1.0));
        return (part.Checksum.BytesWritten + pending, pending / 8);
    }

    /// <summary>
    /// For formats measured by flushing: the size at the last measurement plus the rows written since at the estimated
    /// row size, or what has already reached the destination when that is more.
    /// </summary>
    private long EstimatedBytes(Part part) =>
        Math.Max(part.MeasuredBytes + (long)((part.Rows - part.MeasuredRows) * _bytesPerRow), part.Checksum.BytesWritten);

    /// <summary>
    /// Whether a part of this size is full: one more row of similar size would not fit, or it is within 1 % of the limit
    /// (the last halvings would cost a check each for almost nothing).
    /// </summary>
    private bool IsFull(long size, long limit) => size + Math.Max(_bytesPerRow, limit / ByteLimitFillTolerance) + ByteLimitMargin > limit;

    /// <summary>Whether the part is full on its flush-free estimate, which also gives the size of a row.</summary>
    private bool IsFull((long Size, long Uncertainty) estimate, Part part, long limit)
    {
        if (part.Rows > 0)
        {
            _bytesPerRow = Math.Max(1, estimate.Size / (double)part.Rows);
        }

        return IsFull(estimate.Size + estimate.Uncertainty, limit);
    }

    private async ValueTask<bool> ReachedByteLimitAsync(Part part, CancellationToken cancellationToken)
    {
        if (_options.MaxBytesPerFile is not { } limit)
        {
            return false;
        }

        // CSV and JSON Lines, plain or gzip: estimated without a flush, so the formatting pipeline keeps going and gzip
        // blocks stay whole. Only before the first gzip block of an export is compressed, and only when a small limit is
        // half reached on the upper bound, is one flush spent to learn the compression ratio.
        var estimate = Estimate(part);
        var mustLearnRatio = part.Gzip is not null && _gzipRatio <= 0 && estimate is { } bound && bound.Size + bound.Uncertainty >= limit / 2;
        if (estimate is { } flushFree && !mustLearnRatio)
        {
            var full = IsFull(flushFree, part, limit);
            if (full && part.Gzip is { } gzip && flushFree.Uncertainty > limit / ByteLimitSettleDivisor)
            {
                // The bytes held and being compressed are counted at the ratio seen so far, give or take an eighth. On a
                // busy machine several blocks wait for a core, and that slack alone closed 4 MiB parts 12 % short. Waiting
                // for them leaves only the open block uncertain; no block is ended early.
                await ((IBufferingFormatWriter)part.Format).SettleAsync(cancellationToken).ConfigureAwait(false);
                await gzip.SettleAsync(cancellationToken).ConfigureAwait(false);
                full = IsFull(Estimate(part)!.Value, part, limit);
            }

            return full;
        }

        // Far from the limit, and less than a stretch since the last measurement, the estimate decides.
        var stretch = limit / ByteLimitStretchDivisor;
        var estimated = EstimatedBytes(part);
        if (_bytesPerRow > 0 && limit - ByteLimitMargin - estimated > 2 * stretch && estimated - part.MeasuredBytes < stretch
            && part.Rows - part.MeasuredRows < ByteLimitMaxRowsBetweenMeasurements)
        {
            return false;
        }

        // Measured: flushed through, so the count is exact; the rows since the last measurement give the size of a row.
        await part.Format.FlushAsync(cancellationToken).ConfigureAwait(false);
        var measured = part.Checksum.BytesWritten;
        if (part.Gzip is { CompressedInput: > 0 } flushed)
        {
            _gzipRatio = flushed.CompressedOutput / (double)flushed.CompressedInput;
        }

        if (part.Rows > part.MeasuredRows)
        {
            _bytesPerRow = Math.Max(1, (measured - part.MeasuredBytes) / (double)(part.Rows - part.MeasuredRows));
        }

        (part.MeasuredBytes, part.MeasuredRows) = (measured, part.Rows);
        return IsFull(measured, limit);
    }

    private async ValueTask<Part> OpenPartAsync(int number, CancellationToken cancellationToken)
    {
        var o = _options;
        var name = PartName(number);
        var path = DestinationPath.Combine(o.FolderPath, name);
        DestinationPath.Validate(path, o.Destination.Name);
        var writtenPath = StagedName(name) is { } staged ? DestinationPath.Combine(o.FolderPath, staged) : path;

        var activity = ExportsTelemetry.ActivitySource.StartActivity("exports.file");
        activity?.SetTag("file.path", path);
        activity?.SetTag("file.part", number);
        activity?.SetTag("destination", o.Destination.Name);
        IDestinationWriter writer;
        try
        {
            writer = await o.Destination.OpenWriteAsync(writtenPath, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            activity?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, ex.Message);
            activity?.Dispose();
            throw;
        }

        var checksum = new ChecksumStream(writer.Stream);
        BlockGzipStream? gzip = null;
        Part part;
        var pendingRecorded = false;
        try
        {
            // Before any data, even a header: a writer that names its pending data at once (the local folder's temp
            // file, created on the first write) is on record before that data exists, so a host killed at any moment
            // leaves nothing unrecorded.
            pendingRecorded = await RecordPendingAsync(writer, writtenPath).ConfigureAwait(false);
            Stream output = checksum;
            if (o.Compression == ExportCompression.Gzip)
            {
                // Compression bounds gzip exports: on several cores, blocks are compressed at once as gzip members.
                gzip = new BlockGzipStream(checksum, o.CompressionLevel, o.ParallelCompression);
                output = gzip;
            }

            var format = o.Format.CreateWriter(output, o.FormatContext);
            if (o.MaxBytesPerFile is not null && format is IBufferingFormatWriter buffering)
            {
                buffering.HoldLess();
            }

            part = new Part(number, path, name, writer, checksum, gzip, format) { Activity = activity, WrittenPath = writtenPath, PendingRecorded = pendingRecorded };
        }
        catch
        {
            // The format refused the columns (or the stream could not be wrapped): abort the writer just opened,
            // or its temp file or upload would be left behind.
            gzip?.Abandon();
            await checksum.DisposeAsync().ConfigureAwait(false);
            await writer.DisposeAsync().ConfigureAwait(false);
            await RecordAbortAsync(writer, writtenPath, pendingRecorded).ConfigureAwait(false);

            activity?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, "aborted");
            activity?.Dispose();
            throw;
        }

        return part;
    }

    private async ValueTask CommitCurrentAsync(CancellationToken cancellationToken)
    {
        ExportedFile? committed = null;
        var part = _current!;
        try
        {
            await part.Format.CompleteAsync(cancellationToken).ConfigureAwait(false);
            await part.Format.DisposeAsync().ConfigureAwait(false);
            if (part.Gzip is not null)
            {
                // Disposing writes the gzip trailer through to the checksum stream.
                await part.Gzip.DisposeAsync().ConfigureAwait(false);
                part.Gzip = null;
            }

            await part.Checksum.FlushAsync(cancellationToken).ConfigureAwait(false);
            var file = new ExportedFile(part.Path, part.Name, part.Checksum.BytesWritten, part.Rows, part.Checksum.GetSha256(), part.Number, _options.SourceId);
            if (_options.BeforeCommit is { } beforeCommit)
            {
                await beforeCommit(part.WrittenPath).ConfigureAwait(false);
            }

            _uncertain = part.WrittenPath;
            await part.Writer.CommitAsync(cancellationToken).ConfigureAwait(false);
            _uncertain = null;
            part.Committed = true;
            if (part.PendingRecorded)
            {
                _options.OnSettled?.Invoke(part.WrittenPath);
            }

            part.Activity?.SetTag("file.rows", file.Rows);
            part.Activity?.SetTag("file.bytes", file.Size);
            _committed.Add(file);
            _written.Add(part.WrittenPath);
            _committedBytes += file.Size;
            committed = file;
        }
        finally
        {
            await AbortCurrentAsync().ConfigureAwait(false);
        }

        // Once the part is no longer current: what is reported written (BytesWritten) counts it once.
        if (committed is not null)
        {
            _options.OnFileCommitted?.Invoke(committed);
        }
    }

    private async ValueTask AbortCurrentAsync()
    {
        var part = _current;
        if (part is null)
        {
            return;
        }

        _current = null;
        try
        {
            await part.Format.DisposeAsync().ConfigureAwait(false);
            // Buffered and pending blocks are dropped, not written.
            part.Gzip?.Abandon();
        }
        finally
        {
            // Disposing an uncommitted writer aborts it (temp file deleted, upload aborted).
            await part.Writer.DisposeAsync().ConfigureAwait(false);
            if (!part.Committed)
            {
                await RecordAbortAsync(part.Writer, part.WrittenPath, part.PendingRecorded).ConfigureAwait(false);
            }

            part.Checksum.Dispose();
            if (!part.Committed)
            {
                part.Activity?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, "aborted");
            }

            part.Activity?.Dispose();
        }
    }

    /// <summary>After an uncommitted writer was disposed (aborted): what it removed is settled; an abort that could not reach the server keeps its token, which stays on record for later.</summary>
    private async ValueTask RecordAbortAsync(IDestinationWriter writer, string writtenPath, bool recorded)
    {
        if (_options.OnPending is null || writer is not IPendingWrite pending)
        {
            return;
        }

        if (pending.PendingToken is not null)
        {
            if (!recorded)
            {
                await RecordPendingAsync(writer, writtenPath).ConfigureAwait(false);
            }
        }
        else if (recorded)
        {
            _options.OnSettled?.Invoke(writtenPath);
        }
    }

    private async ValueTask RecordPendingAsync(Part part)
    {
        if (!part.PendingRecorded)
        {
            part.PendingRecorded = await RecordPendingAsync(part.Writer, part.WrittenPath).ConfigureAwait(false);
        }
    }

    /// <summary>Records the writer's pending data when it names any; returns whether it did.</summary>
    private async ValueTask<bool> RecordPendingAsync(IDestinationWriter writer, string writtenPath)
    {
        if (_options.OnPending is null || writer is not IPendingWrite { PendingToken: { } token })
        {
            return false;
        }

        await _options.OnPending(writtenPath, token).ConfigureAwait(false);
        return true;
    }

    private sealed class Part(int number, string path, string name, IDestinationWriter writer, ChecksumStream checksum, BlockGzipStream? gzip, IFormatWriter format)
    {
        public int Number { get; } = number;

        public string Path { get; } = path;

        public string Name { get; } = name;

        /// <summary>Where the part is written: <see cref="Path"/>, or its staged name.</summary>
        public required string WrittenPath { get; init; }

        public IDestinationWriter Writer { get; } = writer;

        public ChecksumStream Checksum { get; } = checksum;

        public BlockGzipStream? Gzip { get; set; } = gzip;

        public IFormatWriter Format { get; } = format;

        public long Rows { get; set; }

        /// <summary>The part's size at its last measurement (a flush), and its rows then.</summary>
        public long MeasuredBytes { get; set; }

        public long MeasuredRows { get; set; }

        public bool Committed { get; set; }

        /// <summary>Whether the writer's uncommitted data was reported (<see cref="IPendingWrite"/>).</summary>
        public bool PendingRecorded { get; set; }

        public System.Diagnostics.Activity? Activity { get; init; }
    }
}
