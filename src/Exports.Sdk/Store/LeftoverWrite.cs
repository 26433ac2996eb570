namespace Exports.Sdk;

/// <summary>Uncommitted data a run's writer left in a destination (<see cref="IPendingWrite"/>), removed later.</summary>
/// <param name="Path">The path the writer was opened with.</param>
/// <param name="Token">The writer's pending token (a temp file's name, an upload id).</param>
public sealed record LeftoverWrite(string Path, string Token);
