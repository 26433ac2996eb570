using System.IO.Compression;

namespace Exports.Sdk.Sources.Files;

/// <summary>Opens a data file for sequential reading, decompressing <c>.gz</c> files.</summary>
internal static class DataFileStream
{
    public static Stream OpenRead(string path)
    {
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
        return path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(file, CompressionMode.Decompress, leaveOpen: false) : file;
    }
}
