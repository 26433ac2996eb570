namespace Exports.Sdk;

/// <summary>Progress of a running export, reported after each batch of rows.</summary>
/// <param name="RunId">The run id.</param>
/// <param name="AudienceId">The audience being exported.</param>
/// <param name="RowsRead">Rows read from the source for this audience.</param>
/// <param name="RowsWritten">Rows written for this audience.</param>
/// <param name="BytesWritten">Bytes written to the destination for this audience (after compression).</param>
/// <param name="FilesCommitted">Files committed for this audience.</param>
/// <param name="CurrentPart">The part being written (from 1).</param>
public readonly record struct ExportProgress(
    string RunId, string AudienceId, long RowsRead, long RowsWritten, long BytesWritten, int FilesCommitted, int CurrentPart);
