namespace Exports.Sdk;

/// <summary>A dataset export as stored, with its concurrency token.</summary>
/// <param name="Definition">The dataset export.</param>
/// <param name="ETag">Changes on every write; an update must present the current value.</param>
/// <param name="CreatedAt">When it was created.</param>
/// <param name="UpdatedAt">When it was last written.</param>
public sealed record StoredDatasetExport(DatasetExportDefinition Definition, string ETag, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);
