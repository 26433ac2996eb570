namespace Exports.Sdk;

/// <summary>What a format writer needs to write one file.</summary>
/// <param name="Columns">The columns to write, in order.</param>
/// <param name="Options">The destination's format options.</param>
/// <param name="ExportName">Names the export in error messages, e.g. <c>dataflow 'daily' audience 'vip'</c>.</param>
public sealed record FormatWriterContext(IReadOnlyList<OutputColumn> Columns, FileFormatOptions Options, string ExportName);
