namespace Exports.Sdk.Destinations.IntegrationTests.Infrastructure;

/// <summary>The size of the large export round-trip (acceptance 1): about 200 MB of gzip CSV in several files.</summary>
public static class LargeExport
{
    /// <summary>Members of the audience: about 200 MB of gzip CSV with the synthetic source's attributes.</summary>
    public static long Members => long.TryParse(Environment.GetEnvironmentVariable("EXPORTS_LARGE_EXPORT_MEMBERS"), out var n) ? n : 2_600_000;

    /// <summary>Rows per file, so the export is split into parts as well.</summary>
    public const long RowsPerFile = 1_000_000;

    /// <summary>A fixed slot, so names and bytes are the same on every run.</summary>
    public static readonly DateTimeOffset ScheduledTime = new(2026, 3, 1, 6, 0, 0, TimeSpan.Zero);

    public static void Configure(DestinationDefinition definition)
    {
        definition.Output.Format.Compression = ExportCompression.Gzip;
        definition.Output.MaxRowsPerFile = RowsPerFile;
    }
}
