namespace Exports.Sdk;

/// <summary>Which runs of a dataflow to list: a status and a page.</summary>
public sealed record RunQuery
{
    /// <summary>Only runs with this status; null for all.</summary>
    public ExportRunStatus? Status { get; init; }

    /// <summary>How many matching runs to skip (newest first). Default 0.</summary>
    public int Skip { get; init; }

    /// <summary>How many to return, 1 to 500. Default 50.</summary>
    public int Take { get; init; } = 50;
}
