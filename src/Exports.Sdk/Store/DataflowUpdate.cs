namespace Exports.Sdk;

/// <summary>One dataflow of <see cref="IExportStore.UpdateDataflowsAsync"/>: its new version and the ETag it was read with.</summary>
/// <param name="Dataflow">The new version.</param>
/// <param name="ETag">The ETag the caller read.</param>
public sealed record DataflowUpdate(DataflowDefinition Dataflow, string ETag);
