namespace Exports.Sdk;

/// <summary>Formats rows of a batch into its own buffer; several instances work on different rows at once.</summary>
internal interface IRowFormatter : IDisposable
{
    /// <summary>The bytes formatted since the last <see cref="Reset"/>: always whole rows.</summary>
    ReadOnlyMemory<byte> Formatted { get; }

    /// <summary>Appends the given rows.</summary>
    void FormatAll(ColumnVector[] vectors, ReadOnlySpan<int> rows);

    /// <summary>Empties the buffer, keeping its memory.</summary>
    void Reset();
}
