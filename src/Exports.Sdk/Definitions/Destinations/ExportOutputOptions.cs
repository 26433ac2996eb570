namespace Exports.Sdk;

/// <summary>
/// What an export writes, apart from where: the file format, the part limits, the manifest and what an empty export
/// leaves. A destination carries a default (<see cref="DestinationDefinition.Output"/>); a dataflow or dataset export
/// may set its own, so a second format to the same storage needs no second destination.
/// </summary>
public sealed class ExportOutputOptions
{
    /// <summary>The file format, its options and compression.</summary>
    public FileFormatOptions Format { get; set; } = new();

    /// <summary>The maximum number of rows per file before a new part starts. Default 5,000,000.</summary>
    public long MaxRowsPerFile { get; set; } = 5_000_000;

    /// <summary>
    /// The maximum size of a file in bytes, counted after compression, before a new part starts. Default: no limit.
    /// Estimated between measurements from the bytes written so far, so a part ends just before the limit when rows are of similar size.
    /// </summary>
    public long? MaxBytesPerFile { get; set; }

    /// <summary>Whether to write <c>manifest-&lt;destinationId&gt;-&lt;runId&gt;.json</c> after the data files. Default true.</summary>
    public bool WriteManifest { get; set; } = true;

    /// <summary>
    /// Whether to also write each successful run's manifest to one fixed path per audience or dataset,
    /// <c>latest/&lt;export id&gt;/&lt;audience or dataset id&gt;.json</c> (in the destination's folder; for datasets in the
    /// dataset's folder), after the files and the dated manifest: partners that always read one path find there the
    /// newest complete set and its checksums. Needs <see cref="WriteManifest"/>.
    /// Default false.
    /// </summary>
    public bool WriteLatest { get; set; }

    /// <summary>What to write for an audience or dataset with no rows. Default <see cref="EmptyExportBehavior.HeaderOnlyFile"/>.</summary>
    public EmptyExportBehavior EmptyExport { get; set; } = EmptyExportBehavior.HeaderOnlyFile;

    /// <summary>Returns a deep copy.</summary>
    /// <returns>The copy.</returns>
    public ExportOutputOptions Clone()
    {
        var copy = (ExportOutputOptions)MemberwiseClone();
        copy.Format = Format.Clone();
        return copy;
    }
}
