namespace Exports.Sdk.Packaging.Tests;

/// <summary>
/// The QuickStart as a user runs it: a bad setting or a malformed appsettings.json prints what is wrong and exits with
/// code 2, without a stack trace. Runs the sample the solution build produced.
/// </summary>
[Collection(nameof(PackagingTests))]
public sealed class QuickStartTests
{
    private static readonly string Output = Path.Combine(Repository.Root, "samples", "Exports.QuickStart", "bin", Repository.Configuration, "net10.0");

    [Theory]
    [InlineData("--QuickStart:Dataflow=nope", "QuickStart:Dataflow is 'nope', which is not a configured dataflow; known: demo.")]
    [InlineData("--QuickStart:AudienceSize=-1", "QuickStart:AudienceSize is -1; it must be 0 or more.")]
    [InlineData("--QuickStart:AudienceSize=abc", "Failed to convert configuration value 'abc' at 'QuickStart:AudienceSize'")]
    public async Task Run_BadSetting_PrintsTheProblemAndExitsWithoutAStackTrace(string argument, string expected)
    {
        var run = await Repository.DotnetAsync(Output, Path.Combine(Output, "Exports.QuickStart.dll"), argument);

        run.ExitCode.Should().Be(2, run.Output);
        run.Output.Should().Contain(expected).And.NotContain("   at ").And.NotContain("Unhandled exception");
    }

    [Fact]
    public async Task Run_MalformedAppSettings_NamesTheFileAndThePosition()
    {
        var copy = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "exports-quickstart-" + Guid.NewGuid().ToString("N"))).FullName;
        try
        {
            foreach (var file in Directory.EnumerateFiles(Output))
            {
                File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
            }

            await File.WriteAllTextAsync(Path.Combine(copy, "appsettings.json"), "{ \"QuickStart\": { \"AudienceSize\": 5, }, oops");

            var run = await Repository.DotnetAsync(copy, Path.Combine(copy, "Exports.QuickStart.dll"));

            run.ExitCode.Should().Be(2, run.Output);
            run.Output.Should().Contain("appsettings.json").And.Contain("LineNumber: 0 | BytePositionInLine: 40").And.NotContain("   at ");
        }
        finally
        {
            Directory.Delete(copy, recursive: true);
        }
    }
}
