namespace Exports.Sdk;

/// <summary>A committed file at a destination.</summary>
/// <param name="Path">The path relative to the destination's root, with <c>/</c> separators.</param>
/// <param name="Size">The size in bytes.</param>
public sealed record DestinationFile(string Path, long Size);
