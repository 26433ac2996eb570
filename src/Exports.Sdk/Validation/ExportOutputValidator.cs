namespace Exports.Sdk;

/// <summary>Checks an output against the registered formats: at start-up for destinations and dataflows, at planning for dataset exports.</summary>
internal static class ExportOutputValidator
{
    /// <summary>Checks an output (a destination's, or a dataflow's or dataset export's own) against the registered formats.</summary>
    public static IEnumerable<string> Validate(string where, ExportOutputOptions output, IEnumerable<IExportFormat> formats)
    {
        var format = formats.FirstOrDefault(f => string.Equals(f.Name, output.Format.Name, StringComparison.OrdinalIgnoreCase));
        if (format is null)
        {
            yield return $"{where}: Output.Format.Name '{output.Format.Name}' is not a registered format; registered: {string.Join(", ", formats.Select(f => f.Name))}.";
        }
        else
        {
            foreach (var problem in format.Validate(output.Format))
            {
                yield return $"{where}: {problem}";
            }

            if (output.Format.Compression != ExportCompression.None && !format.SupportsCompression)
            {
                yield return $"{where}: Output.Format.Compression '{output.Format.Compression}' does not apply to '{format.Name}', which compresses internally; set it to None.";
            }
        }

        if (CaseInsensitiveKeys.Twice(output.Format.Settings) is { } twice)
        {
            yield return $"{where}: Output.Format.Settings has '{twice[0]}' more than once ({CaseInsensitiveKeys.Quoted(twice)}); setting names are not case-sensitive.";
        }

        if (!Enum.IsDefined(output.Format.CompressionLevel))
        {
            yield return $"{where}: Output.Format.CompressionLevel '{output.Format.CompressionLevel}' is not one of {string.Join(", ", Enum.GetNames<System.IO.Compression.CompressionLevel>())}.";
        }

        if (!Enum.IsDefined(output.Format.Compression))
        {
            yield return $"{where}: Output.Format.Compression '{output.Format.Compression}' is not supported; use None or Gzip.";
        }

        if (output.MaxRowsPerFile < 1)
        {
            yield return $"{where}: Output.MaxRowsPerFile must be at least 1, not {output.MaxRowsPerFile}.";
        }

        if (output.Format.MaxDegreeOfParallelism < 0)
        {
            yield return $"{where}: Output.Format.MaxDegreeOfParallelism must be 0 (every core) or more, not {output.Format.MaxDegreeOfParallelism}.";
        }

        if (output.WriteLatest && !output.WriteManifest)
        {
            // The latest pointer is a copy of the run's manifest: without one there is nothing to write.
            yield return $"{where}: Output.WriteLatest needs Output.WriteManifest (the latest file is a copy of the run's manifest); set WriteManifest to true or WriteLatest to false.";
        }

        if (output.MaxBytesPerFile is < 4096)
        {
            yield return $"{where}: Output.MaxBytesPerFile must be at least 4096, not {output.MaxBytesPerFile}.";
        }
    }
}
