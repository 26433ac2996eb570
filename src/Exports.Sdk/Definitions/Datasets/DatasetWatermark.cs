using System.Globalization;

namespace Exports.Sdk;

/// <summary>
/// The position an incremental dataset export has reached: the largest value of the watermark column it exported.
/// A run returns the new watermark; pass it back as <see cref="DatasetRunRequest.Since"/> the next time. Store it as
/// text with <see cref="ToString"/> and read it back with <see cref="Parse"/>.
/// </summary>
/// <remarks>
/// Watermark columns are <see cref="ExportColumnType.Int32"/>, <see cref="ExportColumnType.Int64"/>,
/// <see cref="ExportColumnType.Date"/> or <see cref="ExportColumnType.Timestamp"/>. The value is kept as a 64-bit
/// number (the integer, the day number, or UTC ticks) so rows are compared without boxing.
/// </remarks>
[System.Text.Json.Serialization.JsonConverter(typeof(DatasetWatermarkJsonConverter))]
public readonly record struct DatasetWatermark
{
    private DatasetWatermark(ExportColumnType type, long value)
    {
        Type = type;
        Value = value;
    }

    /// <summary>The type of the watermark column.</summary>
    public ExportColumnType Type { get; }

    /// <summary>The value: the integer, <see cref="DateOnly.DayNumber"/>, or UTC ticks.</summary>
    public long Value { get; }

    /// <summary>Whether a column type can serve as a watermark.</summary>
    /// <param name="type">The column type.</param>
    /// <returns><see langword="true"/> for Int32, Int64, Date and Timestamp.</returns>
    public static bool IsSupported(ExportColumnType type) =>
        type is ExportColumnType.Int32 or ExportColumnType.Int64 or ExportColumnType.Date or ExportColumnType.Timestamp;

    /// <summary>A watermark of an <see cref="ExportColumnType.Int64"/> column.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The watermark.</returns>
    public static DatasetWatermark FromInt64(long value) => new(ExportColumnType.Int64, value);

    /// <summary>A watermark of an <see cref="ExportColumnType.Int32"/> column.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The watermark.</returns>
    public static DatasetWatermark FromInt32(int value) => new(ExportColumnType.Int32, value);

    /// <summary>A watermark of a <see cref="ExportColumnType.Date"/> column.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The watermark.</returns>
    public static DatasetWatermark FromDate(DateOnly value) => new(ExportColumnType.Date, value.DayNumber);

    /// <summary>A watermark of a <see cref="ExportColumnType.Timestamp"/> column.</summary>
    /// <param name="value">The value (kept in UTC).</param>
    /// <returns>The watermark.</returns>
    public static DatasetWatermark FromTimestamp(DateTimeOffset value) => new(ExportColumnType.Timestamp, value.UtcTicks);

    /// <summary>A watermark from its raw <see cref="Value"/>.</summary>
    /// <param name="type">The column type.</param>
    /// <param name="value">The integer, day number or UTC ticks.</param>
    /// <returns>The watermark.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The type cannot be a watermark.</exception>
    public static DatasetWatermark FromValue(ExportColumnType type, long value) =>
        IsSupported(type) ? new(type, value) : throw new ArgumentOutOfRangeException(nameof(type), type, "A watermark column is Int32, Int64, Date or Timestamp.");

    /// <summary>
    /// Reads a row's watermark value as <see cref="Value"/> holds it (the integer, day number or UTC ticks), without boxing;
    /// for sources that filter rows themselves. The value must not be null.
    /// </summary>
    /// <param name="batch">The batch.</param>
    /// <param name="row">Row index.</param>
    /// <param name="column">The watermark column's ordinal (Int32, Int64, Date or Timestamp).</param>
    /// <returns>The value, comparable with <see cref="Value"/>.</returns>
    /// <exception cref="InvalidOperationException">The column's type cannot be a watermark.</exception>
    public static long ReadValue(RowBatch batch, int row, int column)
    {
        ArgumentNullException.ThrowIfNull(batch);
        return batch.Schema[column].Type switch
        {
            ExportColumnType.Int32 => batch.GetInt32(row, column),
            ExportColumnType.Int64 => batch.GetInt64(row, column),
            ExportColumnType.Date => batch.GetDate(row, column).DayNumber,
            ExportColumnType.Timestamp => batch.GetTimestampTicks(row, column),
            var other => throw new InvalidOperationException($"Column '{batch.Schema[column].Name}' is {other}; a watermark column is Int32, Int64, Date or Timestamp."),
        };
    }

    /// <summary>The value as a 64-bit integer (Int32 and Int64 watermarks).</summary>
    public long AsInt64() => Value;

    /// <summary>The value as a date (Date watermarks).</summary>
    public DateOnly AsDate() => DateOnly.FromDayNumber((int)Value);

    /// <summary>The value as a UTC instant (Timestamp watermarks).</summary>
    public DateTimeOffset AsTimestamp() => new(Value, TimeSpan.Zero);

    /// <summary>The text form, e.g. <c>timestamp:2026-01-31T10:00:00.0000000Z</c>, <c>int64:42</c> or <c>date:2026-01-31</c>.</summary>
    /// <returns>The text, which <see cref="Parse"/> reads back.</returns>
    public override string ToString() => Type switch
    {
        ExportColumnType.Timestamp => "timestamp:" + AsTimestamp().UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
        ExportColumnType.Date => "date:" + AsDate().ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        ExportColumnType.Int32 => "int32:" + Value.ToString(CultureInfo.InvariantCulture),
        _ => "int64:" + Value.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>Reads the text form written by <see cref="ToString"/>.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The watermark.</returns>
    /// <exception cref="FormatException">The text is not a watermark.</exception>
    public static DatasetWatermark Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        var kind = colon < 0 ? "" : text[..colon];
        var value = colon < 0 ? "" : text[(colon + 1)..];
        var inv = CultureInfo.InvariantCulture;
        return kind switch
        {
            "timestamp" when DateTimeOffset.TryParse(value, inv, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t) => FromTimestamp(t),
            "date" when DateOnly.TryParseExact(value, "yyyy-MM-dd", inv, DateTimeStyles.None, out var d) => FromDate(d),
            "int32" when int.TryParse(value, NumberStyles.Integer, inv, out var i) => FromInt32(i),
            "int64" when long.TryParse(value, NumberStyles.Integer, inv, out var l) => FromInt64(l),
            _ => throw new FormatException($"'{text}' is not a dataset watermark; expected e.g. 'timestamp:2026-01-31T10:00:00Z', 'int64:42' or 'date:2026-01-31'."),
        };
    }
}
