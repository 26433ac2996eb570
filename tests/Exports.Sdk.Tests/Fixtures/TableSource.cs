using System.Runtime.CompilerServices;
using System.Text;

namespace Exports.Sdk.Tests.Fixtures;

/// <summary>
/// An audience source over rows held in the test, filled into <see cref="RowBatch"/> with the typed setters.
/// It can fail at a given row or call back before each row (e.g. to cancel the run).
/// </summary>
internal sealed class TableSource : IAudienceSource
{
    private readonly List<(AudienceInfo Info, Func<IEnumerable<object?[]>> Rows)> _audiences = [];

    /// <summary>Creates a source whose audiences all have the given attribute columns.</summary>
    public TableSource(params ExportColumn[] columns) => Columns = columns;

    public IReadOnlyList<ExportColumn> Columns { get; }

    public IReadOnlyList<string> AttributeNames => [.. Columns.Select(c => c.Name)];

    /// <summary>Rows per yielded batch (the batch is reused). Default 5, so rows cross batch boundaries.</summary>
    public int BatchSize { get; init; } = 5;

    /// <summary>When set, reading the row with this zero-based index throws <see cref="SourceFailure"/>.</summary>
    public long? ThrowAtRow { get; init; }

    /// <summary>Called with the zero-based index of each row before it is added.</summary>
    public Action<long>? BeforeRow { get; init; }

    /// <summary>When set, text is set as UTF-8 bytes (<see cref="RowBatch.SetUtf8String"/>) instead of strings.</summary>
    public bool TextAsUtf8 { get; init; }

    /// <summary>How many rows were handed out, over all reads.</summary>
    public long RowsRead { get; private set; }

    public TableSource Add(string id, string name, IEnumerable<object?[]> rows)
    {
        var materialised = rows as IReadOnlyCollection<object?[]> ?? [.. rows];
        _audiences.Add((new AudienceInfo(id, name), () => materialised));
        return this;
    }

    /// <summary>Adds an audience whose rows are generated on every read (for large counts).</summary>
    public TableSource AddGenerated(string id, string name, long count, Func<long, object?[]> row)
    {
        _audiences.Add((new AudienceInfo(id, name), () => Generate(count, row)));
        return this;
    }

    public async IAsyncEnumerable<AudienceInfo> ListAudiencesAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Task.Yield();
        foreach (var (info, _) in _audiences)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return info;
        }
    }

    public async IAsyncEnumerable<RowBatch> ReadMembersAsync(AudienceReadRequest request, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var audience = _audiences.Find(a => a.Info.Id == request.AudienceId);
        if (audience.Info is null)
        {
            throw new ExportException($"no audience '{request.AudienceId}'");
        }

        var columns = request.Attributes.Select(a => Columns.First(c => c.Name == a)).ToList();
        columns.Add(new ExportColumn(AudienceColumns.MembershipStatus, ExportColumnType.String));
        columns.Add(new ExportColumn(AudienceColumns.MembershipStatusTime, ExportColumnType.Timestamp));
        var ordinals = request.Attributes.Select(a => Columns.ToList().FindIndex(c => c.Name == a)).ToArray();
        var batch = new RowBatch(new ExportSchema(columns), BatchSize);
        await Task.Yield();

        long index = 0;
        var yielded = false;
        foreach (var values in audience.Rows())
        {
            cancellationToken.ThrowIfCancellationRequested();
            BeforeRow?.Invoke(index);
            if (ThrowAtRow == index)
            {
                throw new SourceFailure($"the source broke at row {index}");
            }

            var row = batch.AddRow();
            for (var c = 0; c < ordinals.Length; c++)
            {
                Set(batch, row, c, values[ordinals[c]]);
            }

            batch.SetString(row, ordinals.Length, AudienceColumns.Realized);
            batch.SetTimestamp(row, ordinals.Length + 1, new DateTimeOffset(2025, 12, 31, 23, 0, 0, TimeSpan.Zero));
            index++;
            RowsRead++;
            if (batch.IsFull)
            {
                yielded = true;
                yield return batch;
                batch.Clear();
            }
        }

        if (batch.Count > 0 || !yielded)
        {
            yield return batch;
        }
    }

    private static IEnumerable<object?[]> Generate(long count, Func<long, object?[]> row)
    {
        for (long i = 0; i < count; i++)
        {
            yield return row(i);
        }
    }

    private void Set(RowBatch batch, int row, int column, object? value)
    {
        if (value is null)
        {
            batch.SetNull(row, column);
            return;
        }

        switch (batch.Schema[column].Type)
        {
            case ExportColumnType.String when TextAsUtf8: batch.SetUtf8String(row, column, Encoding.UTF8.GetBytes((string)value)); break;
            case ExportColumnType.String: batch.SetString(row, column, (string)value); break;
            case ExportColumnType.Int32: batch.SetInt32(row, column, (int)value); break;
            case ExportColumnType.Int64: batch.SetInt64(row, column, (long)value); break;
            case ExportColumnType.Double: batch.SetDouble(row, column, (double)value); break;
            case ExportColumnType.Decimal: batch.SetDecimal(row, column, (decimal)value); break;
            case ExportColumnType.Boolean: batch.SetBoolean(row, column, (bool)value); break;
            case ExportColumnType.Date: batch.SetDate(row, column, (DateOnly)value); break;
            case ExportColumnType.Timestamp: batch.SetTimestamp(row, column, (DateTimeOffset)value); break;
            case ExportColumnType.Guid: batch.SetGuid(row, column, (Guid)value); break;
            default: throw new ArgumentOutOfRangeException(nameof(column));
        }
    }
}

/// <summary>The failure a <see cref="TableSource"/> throws at <see cref="TableSource.ThrowAtRow"/>.</summary>
internal sealed class SourceFailure(string message) : Exception(message);
