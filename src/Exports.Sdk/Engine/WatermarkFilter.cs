namespace Exports.Sdk;

/// <summary>
/// Selects the rows of a batch above the incremental starting point and tracks the largest watermark selected, reading
/// the typed column directly (no boxing). Also guards against sources that ignore <see cref="DatasetReadRequest.Since"/>.
/// With an <see cref="IncrementalWindow"/> (managed dataset exports) the start is inclusive and re-reads an overlap,
/// and the rows the previous run already exported there are dropped, so a late commit is exported, and exported once.
/// </summary>
internal sealed class WatermarkFilter : IRowSelector
{
    private readonly int _ordinal;
    private readonly string _column;
    private readonly ExportColumnType _type;
    private readonly DatasetWatermark? _sinceWatermark;
    private readonly long _since;
    private readonly bool _hasSince;
    private readonly ChangeTracker? _changes;
    private readonly RowFingerprint _hash = new();
    private readonly int[] _changeOrdinals = [];

    public WatermarkFilter(int ordinal, string column, ExportSchema schema, DatasetWatermark? since, IncrementalWindow? window = null)
    {
        _ordinal = ordinal;
        _column = column;
        _type = schema[ordinal].Type;
        _changes = window?.StartRead();
        _sinceWatermark = window is null ? since : window.SinceValue is { } start ? DatasetWatermark.FromValue(_type, start) : null;
        _hasSince = _sinceWatermark is not null;
        _since = _sinceWatermark?.Value ?? 0;
        // A change is the whole row at its position: an update that keeps the position is another change.
        _changeOrdinals = _changes is null ? [] : [.. Enumerable.Range(0, schema.Count).Where(i => i != ordinal)];
    }

    public long Duplicates => 0;

    /// <summary>The largest watermark selected, or the starting point when no newer row came.</summary>
    public DatasetWatermark? NextWatermark => Max is { } max ? DatasetWatermark.FromValue(_type, max) : _sinceWatermark;

    public IReadOnlyDictionary<string, long> Skipped
    {
        get
        {
            var skipped = new Dictionary<string, long>(StringComparer.Ordinal);
            if (NotNewer > 0)
            {
                skipped[$"watermark column '{_column}' not after the previous watermark"] = NotNewer;
            }

            if (_changes is { ExportedBefore: > 0 } changes)
            {
                skipped["exported by the previous run (re-read in the overlap)"] = changes.ExportedBefore;
            }

            if (NullWatermark > 0)
            {
                skipped[$"watermark column '{_column}' is null"] = NullWatermark;
            }

            return skipped;
        }
    }

    /// <summary>The largest watermark value selected so far, if any.</summary>
    public long? Max { get; private set; }

    /// <summary>Rows dropped because their watermark is below the starting point (at or below it without a window).</summary>
    public long NotNewer { get; private set; }

    /// <summary>Rows dropped in an incremental run because their watermark is null (they cannot be placed).</summary>
    public long NullWatermark { get; private set; }

    /// <summary>Writes the indexes of the rows to export into <paramref name="selection"/> and returns how many there are.</summary>
    public int Select(RowBatch batch, int[] selection)
    {
        var count = 0;
        var max = Max ?? long.MinValue;
        var any = Max is not null;
        for (var row = 0; row < batch.Count; row++)
        {
            if (batch.IsNull(row, _ordinal))
            {
                // A full run keeps such rows; an incremental one cannot tell whether they are new.
                if (_hasSince)
                {
                    NullWatermark++;
                    continue;
                }

                selection[count++] = row;
                continue;
            }

            var value = DatasetWatermark.ReadValue(batch, row, _ordinal);
            if (_changes is { } changes)
            {
                changes.Observe(value);
                if (_hasSince && value < _since)
                {
                    NotNewer++;
                    continue;
                }

                if (changes.IsExportedBefore(_hash, batch, row, _changeOrdinals, value))
                {
                    continue;
                }
            }
            else if (_hasSince && value <= _since)
            {
                NotNewer++;
                continue;
            }

            selection[count++] = row;
            if (!any || value > max)
            {
                max = value;
                any = true;
            }
        }

        if (any)
        {
            Max = max;
        }

        return count;
    }
}
