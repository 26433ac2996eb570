namespace Exports.Sdk;

/// <summary>A named, typed column of a <see cref="RowBatch"/>.</summary>
/// <param name="Name">The column name, e.g. an attribute path such as <c>person.name.firstName</c>.</param>
/// <param name="Type">The value type of the column.</param>
public sealed record ExportColumn(string Name, ExportColumnType Type);
