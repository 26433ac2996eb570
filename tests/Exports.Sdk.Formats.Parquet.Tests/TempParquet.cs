namespace Exports.Sdk.Formats.Parquet.Tests;

/// <summary>Parquet bytes in a file of their own for DuckDB to read, deleted afterwards.</summary>
internal sealed class TempParquet : IDisposable
{
    public TempParquet(byte[] bytes)
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"stitched-{Guid.NewGuid():N}.parquet");
        File.WriteAllBytes(Path, bytes);
    }

    public string Path { get; }

    public void Dispose() => File.Delete(Path);
}
