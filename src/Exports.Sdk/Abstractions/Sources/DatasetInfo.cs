namespace Exports.Sdk;

/// <summary>A dataset as its source lists it.</summary>
/// <param name="Id">The dataset id, unique within its source; it becomes a folder name of the export.</param>
/// <param name="Name">The display name.</param>
public sealed record DatasetInfo(string Id, string Name)
{
    /// <summary>An optional description.</summary>
    public string? Description { get; init; }

    /// <summary>The columns, when the source knows them without reading rows; otherwise null.</summary>
    public ExportSchema? Schema { get; init; }
}
