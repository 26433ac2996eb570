namespace Exports.Sdk;

/// <summary>
/// The key that makes rows unique within a file: one identity namespace, or one or two attributes (never both kinds).
/// When several profiles share a key, the most recently qualified one is exported and the others are counted as
/// duplicates.
/// </summary>
public sealed class DeduplicationKey
{
    /// <summary>An identity namespace (one of the dataflow's <see cref="DataflowDefinition.IdentityNamespaces"/>).</summary>
    public string? IdentityNamespace { get; set; }

    /// <summary>One or two attribute paths (among the dataflow's <see cref="DataflowDefinition.Attributes"/>).</summary>
    public List<string> Attributes { get; set; } = [];

    /// <summary>The output columns that form the key.</summary>
    /// <returns>The column names.</returns>
    public IReadOnlyList<string> ColumnNames() =>
        IdentityNamespace is { Length: > 0 } ns ? [AudienceColumns.Identity(ns)] : Attributes;
}
