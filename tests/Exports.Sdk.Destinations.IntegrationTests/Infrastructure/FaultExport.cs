namespace Exports.Sdk.Destinations.IntegrationTests.Infrastructure;

/// <summary>The export used by the fault tests: one gzip file of about 60 MB, killed after 12 MB.</summary>
public static class FaultExport
{
    public const long Members = 800_000;
    public const long KillAfterBytes = 12L << 20;

    public static readonly ExportRunRequest Request = new() { RunId = "fault-run-0001", ScheduledTime = new DateTimeOffset(2026, 3, 2, 6, 0, 0, TimeSpan.Zero) };

    public static void Configure(DestinationDefinition definition) => definition.Output.Format.Compression = ExportCompression.Gzip;

    /// <summary>Checks that the failed run says what went wrong, retried (logged) and leaked no secret.</summary>
    public static void ShouldHaveFailedCleanly(ExportRunResult result, CapturingLoggerProvider logs, int retryEventId, string secret)
    {
        result.Status.Should().Be(ExportRunStatus.Failed);
        result.Files.Should().BeEmpty();
        result.ManifestPath.Should().BeNull();
        var error = result.Errors.Should().ContainSingle().Subject;
        error.Should().Contain($"Destination '{ExportHarness.DestinationName}'");
        logs.Lines.Should().Contain(l => l.EventId.Id == retryEventId, "each retry is logged");
        logs.AllText.Should().NotContain(secret);
        error.Should().NotContain(secret);
    }
}
