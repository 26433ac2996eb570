using System.Diagnostics;
using System.IO.Compression;
using System.Text.Json;

namespace Exports.Sdk.Packaging.Tests;

/// <summary>
/// The QuickStart published native AOT (<c>dotnet publish -r linux-x64</c>), as a host that runs one export per process
/// may ship it: no JIT, so no reflection the trimmer was not told about. It exports the demo audience, read back here
/// with GZipStream; and a misspelt key or a bad value in its configuration is still named, since the configuration
/// check reads the options types by reflection.
/// </summary>
[Collection(nameof(PackagingTests))]
public sealed class QuickStartNativeAotTests(QuickStartNativeAotTests.NativeBuild build) : IClassFixture<QuickStartNativeAotTests.NativeBuild>
{
    [Fact]
    public async Task Run_PublishedNative_ExportsTheDemoAudience_ReadBackRowByRow()
    {
        var output = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "exports-quickstart-aot-" + Guid.NewGuid().ToString("N"))).FullName;
        try
        {
            var run = await build.RunAsync("--QuickStart:AudienceSize=30000", "--Exports:Destinations:demo-folder:Output:MaxRowsPerFile=12000",
                $"--Exports:Destinations:demo-folder:Settings:path={output}");

            run.ExitCode.Should().Be(0, run.Output);
            var parts = Directory.GetFiles(output, "*.csv.gz", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
            parts.Should().HaveCount(3, "30,000 rows at 12,000 a part");
            var rows = 0;
            foreach (var part in parts)
            {
                await using var gzip = new GZipStream(File.OpenRead(part), CompressionMode.Decompress);
                using var reader = new StreamReader(gzip);
                (await reader.ReadLineAsync()).Should().StartWith("profileId,person.email,");
                while (await reader.ReadLineAsync() is { } line)
                {
                    line.Should().NotBeEmpty();
                    rows++;
                }
            }

            rows.Should().Be(30_000);
            var manifest = Directory.GetFiles(output, "*.json", SearchOption.AllDirectories).Should().ContainSingle().Subject;
            using var document = JsonDocument.Parse(await File.ReadAllTextAsync(manifest));
            document.RootElement.GetRawText().Should().Contain(Path.GetFileName(parts[0]));
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }

    [Theory]
    [InlineData("--Exports:Runs:MaxConcurentRuns=4", "Exports:Runs:MaxConcurentRuns is not a known setting; did you mean Exports:Runs:MaxConcurrentRuns?")]
    [InlineData("--Exports:Destinations:demo-folder:Output:Format:Compression=Zip", "Exports:Destinations:demo-folder:Output:Format:Compression is 'Zip', which is not one of None, Gzip.")]
    [InlineData("--Exports:Destinations:demo-folder:Settings:pathh=x", "Destination 'demo-folder': setting 'pathh' is not known; known settings: flushToDisk, path.")]
    public async Task Run_PublishedNative_BadSetting_IsNamedAsOnTheJit(string argument, string expected)
    {
        var run = await build.RunAsync("--QuickStart:AudienceSize=10", argument);

        run.ExitCode.Should().Be(2, run.Output);
        run.Output.Should().Contain(expected).And.NotContain("   at ");
    }

    /// <summary>Publishes the QuickStart native once for the class (a minute or two: the native compiler and clang).</summary>
    public sealed class NativeBuild : IAsyncLifetime
    {
        private readonly string _folder = Path.Combine(Path.GetTempPath(), "exports-quickstart-native-" + Guid.NewGuid().ToString("N"));

        public async Task InitializeAsync()
        {
            var project = Path.Combine(Repository.Root, "samples", "Exports.QuickStart", "Exports.QuickStart.csproj");
            var publish = await Repository.DotnetAsync(Repository.Root, "publish", project, "-c", Repository.Configuration, "-r", "linux-x64", "-o", _folder);
            publish.ExitCode.Should().Be(0, publish.Output);
            // The packages this sample uses compile without a trimming or AOT warning.
            publish.Output.Should().NotContainAny("warning IL", "AOT analysis warning", "Trim analysis warning");
            File.Exists(Path.Combine(_folder, "Exports.QuickStart.dll")).Should().BeFalse("the publish is native, not IL");
        }

        public Task DisposeAsync()
        {
            if (Directory.Exists(_folder))
            {
                Directory.Delete(_folder, recursive: true);
            }

            return Task.CompletedTask;
        }

        public Task<(int ExitCode, string Output)> RunAsync(params string[] arguments)
        {
            var start = new ProcessStartInfo(Path.Combine(_folder, "Exports.QuickStart")) { WorkingDirectory = _folder, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }

            return Repository.RunAsync(start, TimeSpan.FromMinutes(2));
        }
    }
}
