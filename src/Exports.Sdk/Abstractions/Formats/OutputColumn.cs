namespace Exports.Sdk;

/// <summary>A column of an output file and where its values come from.</summary>
/// <param name="Name">The column name in the file (e.g. <c>person.name.firstName</c>).</param>
/// <param name="Type">The value type.</param>
/// <param name="Ordinal">The column's ordinal in the <see cref="RowBatch"/> the values are read from.</param>
public sealed record OutputColumn(string Name, ExportColumnType Type, int Ordinal);
