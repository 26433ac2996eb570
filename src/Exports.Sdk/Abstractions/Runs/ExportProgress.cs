namespace Exports.Sdk;

/// <summary>Progress of a running export, reported after each batch of rows.</summary>
/// <param name="RunId">The run id.</param>
/// <param name="SourceId">The audience (or dataset) being exported.</param>
/// <param name="RowsRead">Rows read from the source for this audience or dataset.</param>
/// <param name="RowsWritten">Rows written for this audience or dataset.</param>
/// <param name="BytesWritten">Bytes written to the destination for this audience or dataset (after compression).</param>
/// <param name="FilesCommitted">Files committed for this audience or dataset.</param>
/// <param name="CurrentPart">The part being written (from 1).</param>
public readonly record struct ExportProgress(
    string RunId, string SourceId, long RowsRead, long RowsWritten, long BytesWritten, int FilesCommitted, int CurrentPart);
