namespace Exports.Sdk;

/// <summary>Which dataflows to list: a search and a page.</summary>
public sealed record DataflowQuery
{
    /// <summary>Text matched (case-insensitively) against the name, id, destination name and destination type; null for all.</summary>
    public string? Search { get; init; }

    /// <summary>How many matching dataflows to skip (by name). Default 0.</summary>
    public int Skip { get; init; }

    /// <summary>How many to return, 1 to 500. Default 50.</summary>
    public int Take { get; init; } = 50;
}
