namespace Exports.Sdk;

/// <summary>What an export writes for an audience (or dataset) with no rows.</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(System.Text.Json.Serialization.JsonStringEnumConverter<EmptyExportBehavior>))]
public enum EmptyExportBehavior
{
    /// <summary>A file with only the header (the default), so partners can tell "nobody qualified" from "no export".</summary>
    HeaderOnlyFile,

    /// <summary>No data file; no manifest either when the whole run produced no file.</summary>
    NoFile,

    /// <summary>No data file, but the manifest is written (listing no file for the audience).</summary>
    ManifestOnly,
}
