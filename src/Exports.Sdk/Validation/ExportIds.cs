using System.Text;

namespace Exports.Sdk;

/// <summary>
/// The rule shared by dataflow and dataset export ids: they key the export's records in the store, where the file store
/// makes a file name of them (up to three characters a byte), so they are limited in bytes.
/// </summary>
internal static class ExportIds
{
    public const int MaxBytes = 80;

    /// <summary>The problem with <paramref name="id"/>, naming only its start when it is too long; null when it is fine.</summary>
    public static string? Problem(string kind, string? id) => id is { Length: > 0 } && Encoding.UTF8.GetByteCount(id) is var bytes && bytes > MaxBytes
        ? $"{kind} '{id[..Math.Min(id.Length, 24)]}…': Id is {bytes} bytes long in UTF-8; at most {MaxBytes}."
        : null;
}
