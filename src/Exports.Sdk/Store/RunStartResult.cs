namespace Exports.Sdk;

/// <summary>The outcome of <see cref="IExportStore.TryStartRunAsync"/>.</summary>
/// <param name="Started">Whether the run was recorded as running.</param>
/// <param name="Conflicts">When refused: each audience already in a run, with that run's id.</param>
public sealed record RunStartResult(bool Started, IReadOnlyList<RunConflict> Conflicts);
