namespace Exports.Sdk;

/// <summary>Writes JSON Lines through a <see cref="RowFormattingPipeline{TFormatter}"/> of <see cref="JsonLinesRowFormatter"/>s.</summary>
internal sealed class JsonLinesFormatWriter : IFormatWriter, IBufferingFormatWriter
{
    private readonly Stream _output;
    private readonly OutputColumn[] _columns;
    private readonly ColumnVector[] _vectors;
    private readonly RowFormattingPipeline<JsonLinesRowFormatter> _pipeline;

    public JsonLinesFormatWriter(Stream output, FormatWriterContext context)
    {
        _output = output;
        _columns = [.. context.Columns];
        _vectors = new ColumnVector[_columns.Length];
        var layout = JsonObjectLayout.Create(context.Columns, context.ExportName);
        _pipeline = new RowFormattingPipeline<JsonLinesRowFormatter>(
            context.Options.EffectiveParallelism, () => new JsonLinesRowFormatter(layout, context.Columns), (bytes, ct) => _output.WriteAsync(bytes, ct));
    }

    public long BufferedBytes => _pipeline.BufferedBytes;

    public void HoldLess() => _pipeline.HoldLess();

    public ValueTask SettleAsync(CancellationToken cancellationToken) => _pipeline.DrainAsync(cancellationToken);

    public async ValueTask WriteAsync(RowBatch batch, ReadOnlyMemory<int> rows, CancellationToken cancellationToken = default)
    {
        for (var c = 0; c < _columns.Length; c++)
        {
            _vectors[c] = batch.GetVector(_columns[c].Ordinal);
        }

        try
        {
            await _pipeline.WriteAsync(_vectors, rows, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            // Batches may be reused by the source once this call returns; the pipeline keeps only formatted bytes.
            Array.Clear(_vectors);
        }
    }

    public async ValueTask FlushAsync(CancellationToken cancellationToken = default)
    {
        await _pipeline.DrainAsync(cancellationToken).ConfigureAwait(false);
        await _output.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    public ValueTask CompleteAsync(CancellationToken cancellationToken = default) => _pipeline.DrainAsync(cancellationToken);

    public ValueTask DisposeAsync() => _pipeline.DisposeAsync();
}
