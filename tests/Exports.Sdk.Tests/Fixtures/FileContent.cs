using System.IO.Compression;
using System.Text;
using Microsoft.VisualBasic.FileIO;

namespace Exports.Sdk.Tests.Fixtures;

/// <summary>Reads exported files back with readers that share no code with the SDK.</summary>
internal static class FileContent
{
    /// <summary>The file's bytes, gunzipped when its name ends in <c>.gz</c>.</summary>
    public static byte[] Decompressed(string path)
    {
        var bytes = File.ReadAllBytes(path);
        if (!path.EndsWith(".gz", StringComparison.Ordinal))
        {
            return bytes;
        }

        using var gzip = new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress);
        using var output = new MemoryStream();
        gzip.CopyTo(output);
        return output.ToArray();
    }

    /// <summary>Parses CSV bytes with the in-box <see cref="TextFieldParser"/>.</summary>
    public static List<string[]> ParseCsv(byte[] bytes, char delimiter, Encoding? encoding = null)
    {
        using var parser = new TextFieldParser(new MemoryStream(bytes), encoding ?? new UTF8Encoding(false), detectEncoding: true)
        {
            TextFieldType = FieldType.Delimited,
            HasFieldsEnclosedInQuotes = true,
            TrimWhiteSpace = false,
        };
        parser.SetDelimiters(delimiter.ToString());
        var records = new List<string[]>();
        while (!parser.EndOfData)
        {
            records.Add(parser.ReadFields() ?? []);
        }

        return records;
    }

    /// <summary>Parses a (possibly gzipped) UTF-8 CSV file with <see cref="TextFieldParser"/>.</summary>
    public static List<string[]> ParseCsvFile(string path, char delimiter = ',') => ParseCsv(Decompressed(path), delimiter);

    /// <summary>The lines of a (possibly gzipped) UTF-8 text file, without the final empty line.</summary>
    public static string[] Lines(string path)
    {
        var text = Encoding.UTF8.GetString(Decompressed(path));
        var lines = text.Split('\n');
        return lines.Length > 0 && lines[^1].Length == 0 ? lines[..^1] : lines;
    }
}
