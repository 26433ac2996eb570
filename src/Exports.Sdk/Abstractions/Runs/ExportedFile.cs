namespace Exports.Sdk;

/// <summary>A file an export committed to a destination.</summary>
/// <param name="Path">The path relative to the destination's root (the manifest's <c>sinkPath</c>).</param>
/// <param name="Name">The file name.</param>
/// <param name="Size">The size in bytes, as stored (after compression).</param>
/// <param name="Rows">The number of data rows (header excluded).</param>
/// <param name="Sha256">The lowercase hex SHA-256 of the stored bytes.</param>
/// <param name="Part">The part number, from 1.</param>
/// <param name="SourceId">The audience id (or dataset id) the rows came from.</param>
public sealed record ExportedFile(string Path, string Name, long Size, long Rows, string Sha256, int Part, string SourceId);
