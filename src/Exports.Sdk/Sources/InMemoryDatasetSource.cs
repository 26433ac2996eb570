using System.Runtime.CompilerServices;

namespace Exports.Sdk;

/// <summary>
/// A dataset source over rows held in memory, for tests, samples and small reference tables. Values are converted to the
/// declared column types as by <see cref="RowBatch.SetValue"/>. Incremental reads filter by the watermark column.
/// </summary>
public sealed class InMemoryDatasetSource : IDatasetSource
{
    private readonly Dictionary<string, (DatasetInfo Info, List<object?[]> Rows)> _datasets = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <summary>Adds or replaces a dataset.</summary>
    /// <param name="id">The dataset id.</param>
    /// <param name="schema">Its columns.</param>
    /// <param name="rows">Its rows, one value per column in schema order.</param>
    /// <returns>This source.</returns>
    public InMemoryDatasetSource AddDataset(string id, ExportSchema schema, IEnumerable<object?[]> rows)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(rows);
        lock (_lock)
        {
            _datasets[id] = (new DatasetInfo(id, id) { Schema = schema }, [.. rows]);
        }

        return this;
    }

    /// <summary>Appends rows to a dataset (as new events arrive).</summary>
    /// <param name="id">The dataset id.</param>
    /// <param name="rows">The rows.</param>
    /// <returns>This source.</returns>
    public InMemoryDatasetSource AppendRows(string id, IEnumerable<object?[]> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        lock (_lock)
        {
            Get(id).Rows.AddRange(rows);
        }

        return this;
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<DatasetInfo> ListDatasetsAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        DatasetInfo[] datasets;
        lock (_lock)
        {
            datasets = [.. _datasets.Values.Select(d => d.Info)];
        }

        foreach (var dataset in datasets)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return dataset;
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<RowBatch> ReadRowsAsync(DatasetReadRequest request, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ExportSchema schema;
        object?[][] rows;
        lock (_lock)
        {
            var dataset = Get(request.DatasetId);
            schema = dataset.Info.Schema!;
            rows = [.. dataset.Rows];
        }

        var batch = new RowBatch(schema, Math.Max(1, request.BatchSize));
        var watermark = request.WatermarkColumn is { } column ? schema.IndexOf(column) : -1;
        // One row converted ahead, so the watermark is compared as the column's type before the row is added.
        var probe = new RowBatch(schema, 1);
        foreach (var values in rows)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (request.Since is { } since && watermark >= 0)
            {
                probe.Clear();
                probe.AddRow();
                probe.SetValue(0, watermark, watermark < values.Length ? values[watermark] : null);
                if (!IsAfter(probe, 0, watermark, since))
                {
                    continue;
                }
            }

            var row = batch.AddRow();
            for (var c = 0; c < schema.Count; c++)
            {
                batch.SetValue(row, c, c < values.Length ? values[c] : null);
            }

            if (batch.IsFull)
            {
                yield return batch;
                batch.Clear();
            }
        }

        yield return batch;
        await Task.CompletedTask.ConfigureAwait(false);
    }

    private static bool IsAfter(RowBatch batch, int row, int column, DatasetWatermark since) =>
        !batch.IsNull(row, column) && DatasetWatermark.IsSupported(batch.Schema[column].Type) && DatasetWatermark.ReadValue(batch, row, column) > since.Value;

    private (DatasetInfo Info, List<object?[]> Rows) Get(string id) =>
        _datasets.TryGetValue(id, out var dataset) ? dataset : throw new ExportException($"The in-memory source has no dataset '{id}'.");
}
