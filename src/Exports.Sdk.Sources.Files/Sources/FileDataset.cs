namespace Exports.Sdk.Sources.Files;

/// <summary>A dataset made of data files: one file, or every file of its format in a folder.</summary>
public sealed class FileDataset
{
    /// <summary>The display name. Default: the dataset id.</summary>
    public string? Name { get; set; }

    /// <summary>
    /// A file, or a folder whose files of the format are read in name order (not recursively). Files are read as they are
    /// at export time; a file that appears while a run reads the folder is left for the next run. An incremental export
    /// filters its rows by the watermark like any other file's: rows older than where the next run starts are skipped.
    /// </summary>
    public string Path { get; set; } = "";

    /// <summary>The reader's format (<c>csv</c>, <c>jsonl</c>, <c>parquet</c> or a plug-in's). Default: from the file extension.</summary>
    public string? Format { get; set; }

    /// <summary>
    /// The columns and their types, in order. CSV and JSON Lines values are parsed as these types; Parquet columns are
    /// selected and checked. Empty (the default): from the files (CSV: text columns named by the header; JSON Lines:
    /// inferred from the first object; Parquet: the file's schema).
    /// </summary>
    public List<ExportColumn> Columns { get; set; } = [];

    /// <summary>Reader options, keys case-insensitive (CSV: <c>delimiter</c>, <c>header</c>, <c>nullValues</c>).</summary>
    public Dictionary<string, string?> Settings { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}
