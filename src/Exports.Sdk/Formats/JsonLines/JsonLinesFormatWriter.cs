using System.Runtime.ExceptionServices;

namespace Exports.Sdk;

/// <summary>
/// Writes JSON Lines: large batches are cut into contiguous slices formatted on several cores and written back in
/// order, as the CSV writer does.
/// </summary>
internal sealed class JsonLinesFormatWriter : IFormatWriter
{
    private readonly Stream _output;
    private readonly OutputColumn[] _columns;
    private readonly ColumnVector[] _vectors;
    private readonly JsonObjectLayout _layout;
    private readonly JsonLinesRowFormatter _main;
    private readonly JsonLinesRowFormatter?[] _workers;

    public JsonLinesFormatWriter(Stream output, FormatWriterContext context)
    {
        _output = output;
        _columns = [.. context.Columns];
        _vectors = new ColumnVector[_columns.Length];
        _layout = JsonObjectLayout.Create(context.Columns, context.ExportName);
        _main = new JsonLinesRowFormatter(_layout);
        _workers = new JsonLinesRowFormatter?[Math.Max(1, context.Options.EffectiveParallelism) - 1];
    }

    public async ValueTask WriteAsync(RowBatch batch, ReadOnlyMemory<int> rows, CancellationToken cancellationToken = default)
    {
        for (var c = 0; c < _columns.Length; c++)
        {
            _vectors[c] = batch.GetVector(_columns[c].Ordinal);
        }

        try
        {
            var workers = Math.Min(_workers.Length + 1, rows.Length / CsvFormatWriter.MinRowsPerWorker);
            if (workers > 1)
            {
                await WriteInParallelAsync(rows, workers, cancellationToken).ConfigureAwait(false);
                return;
            }

            var next = 0;
            while (next < rows.Length)
            {
                next = _main.FormatRows(_vectors, rows.Span, next);
                if (_main.IsFull)
                {
                    await WriteOutAsync(_main, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            // Batches may be reused by the source once this call returns.
            Array.Clear(_vectors);
        }
    }

    public async ValueTask FlushAsync(CancellationToken cancellationToken = default)
    {
        await WriteOutAsync(_main, cancellationToken).ConfigureAwait(false);
        await _output.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    public ValueTask CompleteAsync(CancellationToken cancellationToken = default) => WriteOutAsync(_main, cancellationToken);

    public ValueTask DisposeAsync()
    {
        _main.Dispose();
        foreach (var worker in _workers)
        {
            worker?.Dispose();
        }

        return ValueTask.CompletedTask;
    }

    private async ValueTask WriteInParallelAsync(ReadOnlyMemory<int> rows, int workers, CancellationToken cancellationToken)
    {
        var formatters = new JsonLinesRowFormatter[workers];
        formatters[0] = _main;
        for (var i = 1; i < workers; i++)
        {
            formatters[i] = _workers[i - 1] ??= new JsonLinesRowFormatter(_layout);
        }

        var vectors = _vectors;
        var size = (rows.Length + workers - 1) / workers;
        try
        {
            Parallel.For(0, workers, new ParallelOptions { CancellationToken = cancellationToken }, i =>
            {
                var start = i * size;
                var end = Math.Min(rows.Length, start + size);
                formatters[i].FormatAll(vectors, rows.Span[start..end]);
            });
        }
        catch (AggregateException ex) when (ex.InnerExceptions.Count > 0)
        {
            ExceptionDispatchInfo.Capture(ex.InnerExceptions[0]).Throw();
        }

        foreach (var formatter in formatters)
        {
            await WriteOutAsync(formatter, cancellationToken).ConfigureAwait(false);
        }
    }

    private async ValueTask WriteOutAsync(JsonLinesRowFormatter formatter, CancellationToken cancellationToken)
    {
        if (!formatter.Formatted.IsEmpty)
        {
            await _output.WriteAsync(formatter.Formatted, cancellationToken).ConfigureAwait(false);
            formatter.Reset();
        }
    }
}
