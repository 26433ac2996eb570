namespace Exports.Sdk;

/// <summary>Chooses the rows of each batch to export and counts the others by reason; one per entry of a run.</summary>
internal interface IRowSelector
{
    /// <summary>Rows not selected, by reason.</summary>
    IReadOnlyDictionary<string, long> Skipped { get; }

    /// <summary>Rows dropped as duplicates of a deduplication key.</summary>
    long Duplicates { get; }

    /// <summary>The watermark to resume from after this run succeeds; null where the entry tracks none.</summary>
    DatasetWatermark? NextWatermark { get; }

    /// <summary>Writes the indexes of the rows to export into <paramref name="selection"/> and returns how many there are.</summary>
    int Select(RowBatch batch, int[] selection);
}
