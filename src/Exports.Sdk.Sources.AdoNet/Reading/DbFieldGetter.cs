namespace Exports.Sdk.Sources.AdoNet;

/// <summary>Which typed <see cref="System.Data.Common.DbDataReader"/> getter reads a column.</summary>
internal enum DbFieldGetter
{
    String,
    Boolean,
    Byte,
    Int16,
    Int32,
    Int64,
    Single,
    Double,
    Decimal,

    /// <summary>A PostgreSQL numeric read from its binary form (<see cref="PostgresNumeric"/>), then by GetDecimal where that cannot.</summary>
    PostgresNumeric,
    DateTime,
    DateTimeOffset,
    DateOnly,
    DateOnlyFromDateTime,
    Guid,
}
