namespace Exports.Sdk.Formats.Parquet.Tests;

/// <summary>Parquet files written by the format's writer straight into memory, as the export pipeline calls it.</summary>
internal static class ParquetBytes
{
    public static async Task<byte[]> WriteAsync(OutputColumn[] columns, RowBatch batch, int[] rows, int parallelism, params (string Key, string Value)[] settings)
    {
        var output = new StrictForwardOnlyStream();
        var options = new FileFormatOptions { Name = "parquet", MaxDegreeOfParallelism = parallelism };
        foreach (var (key, value) in settings)
        {
            options.Settings[key] = value;
        }

        await using (var writer = new ParquetFormat().CreateWriter(output, new FormatWriterContext(columns, options, "test")))
        {
            // Several calls, as the export pipeline makes them, so row groups span batches.
            for (var offset = 0; offset < rows.Length; offset += 4096)
            {
                await writer.WriteAsync(batch, rows.AsMemory(offset, Math.Min(4096, rows.Length - offset)));
            }

            await writer.CompleteAsync();
        }

        return output.ToArray();
    }
}
