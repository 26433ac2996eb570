namespace Exports.Sdk;

/// <summary>Selects every row: dataset exports without a watermark column.</summary>
internal sealed class AllRowsSelector : IRowSelector
{
    public IReadOnlyDictionary<string, long> Skipped { get; } = new Dictionary<string, long>();

    public long Duplicates => 0;

    public DatasetWatermark? NextWatermark => null;

    public int Select(RowBatch batch, int[] selection)
    {
        for (var i = 0; i < batch.Count; i++)
        {
            selection[i] = i;
        }

        return batch.Count;
    }
}
