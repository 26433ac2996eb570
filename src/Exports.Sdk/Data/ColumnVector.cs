namespace Exports.Sdk;

/// <summary>
/// Storage for one column of a <see cref="RowBatch"/>: one typed array (the others stay null) and a null mask.
/// Typed arrays keep values unboxed from the source to the format writer.
/// </summary>
internal sealed class ColumnVector
{
    public ColumnVector(ExportColumnType type, int capacity)
    {
        Type = type;
        Nulls = new bool[capacity];
        switch (type)
        {
            case ExportColumnType.String: Strings = new string?[capacity]; break;
            case ExportColumnType.Int32: Int32s = new int[capacity]; break;
            case ExportColumnType.Int64: Int64s = new long[capacity]; break;
            case ExportColumnType.Double: Doubles = new double[capacity]; break;
            case ExportColumnType.Decimal: Decimals = new decimal[capacity]; break;
            case ExportColumnType.Boolean: Booleans = new bool[capacity]; break;
            case ExportColumnType.Date: Dates = new DateOnly[capacity]; break;
            case ExportColumnType.Timestamp: Timestamps = new long[capacity]; break;
            case ExportColumnType.Guid: Guids = new Guid[capacity]; break;
            default: throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown column type.");
        }
    }

    public ExportColumnType Type { get; }

    public bool[] Nulls { get; }

    /// <summary>
    /// String values; a row that is not null and has no string here was set as UTF-8 bytes, kept in <see cref="Utf8"/>.
    /// </summary>
    public string?[]? Strings { get; }

    /// <summary>String values set as UTF-8 bytes (created when the first one is).</summary>
    public Utf8TextStore? Utf8 { get; set; }

    public int[]? Int32s { get; }

    public long[]? Int64s { get; }

    public double[]? Doubles { get; }

    public decimal[]? Decimals { get; }

    public bool[]? Booleans { get; }

    public DateOnly[]? Dates { get; }

    /// <summary>UTC ticks.</summary>
    public long[]? Timestamps { get; }

    public Guid[]? Guids { get; }
}
