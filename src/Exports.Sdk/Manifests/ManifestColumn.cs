namespace Exports.Sdk;

/// <summary>A column in a manifest.</summary>
/// <param name="Name">The column name.</param>
/// <param name="Type">The column type (<see cref="ExportColumnType"/> in lowercase).</param>
public sealed record ManifestColumn(string Name, string Type);
