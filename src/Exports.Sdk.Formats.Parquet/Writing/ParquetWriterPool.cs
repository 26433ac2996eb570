namespace Exports.Sdk.Formats.Parquet;

/// <summary>
/// What the Parquet writers of one export share from part to part: the file layout, the row-group buffers and the
/// buffers encoded row groups are written into. Each part's file gets a new writer; handing these on, instead of letting
/// the next writer allocate its own while the last one's wait for the collector, keeps memory flat across parts. Parts
/// of an export are written one after the other; the lock only guards against misuse.
/// </summary>
internal sealed class ParquetWriterPool
{
    private readonly Lock _lock = new();
    private readonly Stack<ParquetRowGroupBuffer> _rowGroups = new();
    private readonly Stack<MemoryStream> _files = new();

    /// <summary>The export's file layout, once the first writer has made it.</summary>
    public ParquetFileLayout? Layout { get; set; }

    public ParquetRowGroupBuffer? TakeRowGroup()
    {
        lock (_lock)
        {
            return _rowGroups.TryPop(out var rowGroup) ? rowGroup : null;
        }
    }

    public void Return(ParquetRowGroupBuffer rowGroup)
    {
        rowGroup.Reset();
        lock (_lock)
        {
            _rowGroups.Push(rowGroup);
        }
    }

    public MemoryStream TakeFile()
    {
        lock (_lock)
        {
            return _files.TryPop(out var file) ? file : new MemoryStream();
        }
    }

    public void Return(MemoryStream file)
    {
        lock (_lock)
        {
            _files.Push(file);
        }
    }
}
