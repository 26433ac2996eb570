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
    DateTime,
    DateTimeOffset,
    DateOnly,
    DateOnlyFromDateTime,
    Guid,
}
