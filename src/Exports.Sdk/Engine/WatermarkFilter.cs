namespace Exports.Sdk;

/// <summary>
/// Selects the rows of a batch above the incremental starting point and tracks the largest watermark selected, reading
/// the typed column directly (no boxing). Also guards against sources that ignore <see cref="DatasetReadRequest.Since"/>.
/// </summary>
internal sealed class WatermarkFilter
{
    private readonly int _ordinal;
    private readonly long _since;
    private readonly bool _hasSince;

    public WatermarkFilter(int ordinal, DatasetWatermark? since)
    {
        _ordinal = ordinal;
        _hasSince = since is not null;
        _since = since?.Value ?? 0;
    }

    /// <summary>The largest watermark value selected so far, if any.</summary>
    public long? Max { get; private set; }

    /// <summary>Rows dropped because their watermark is at or below the starting point.</summary>
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
            if (_hasSince && value <= _since)
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
