namespace Exports.Sdk;

/// <summary>
/// The rule shared by dataflow and dataset export ids: they key the export's records in the store (a file name in the
/// file store, where an id longer than this could not be written).
/// </summary>
internal static class ExportIds
{
    public const int MaxLength = 80;

    /// <summary>The problem with <paramref name="id"/>, naming only its start when it is too long; null when it is fine.</summary>
    public static string? Problem(string kind, string? id) => id is { Length: > MaxLength }
        ? $"{kind} '{id[..24]}…': Id is {id.Length} characters long; at most {MaxLength}."
        : null;
}
