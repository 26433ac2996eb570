using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Exports.Sdk.Testing;

/// <summary>Moves, and exports whose file names have no date or time part.</summary>
public abstract partial class DestinationConformanceTests
{
    private const string FixedFolder = "fixed";

    /// <summary>A move replaces the target's content and removes the source (destinations that can move files).</summary>
    /// <returns>A task.</returns>
    [Fact]
    public async Task MoveAsync_OverAnExistingFile_ReplacesIt_AndRemovesTheSource()
    {
        if (Destination is not IDestinationMove mover)
        {
            // Optional: the export test below checks that such a destination refuses fixed names clearly.
            Assert.False(Destination is IDestinationMove);
            return;
        }

        var staged = RandomBytes(LargeFileSize);
        await WriteAsync("moves/.target.csv.staged", staged).ConfigureAwait(false);
        await WriteAsync("moves/target.csv", RandomBytes(1_000)).ConfigureAwait(false);

        await mover.MoveAsync("moves/.target.csv.staged", "moves/target.csv").ConfigureAwait(false);
        await mover.MoveAsync("moves/target.csv", "moves/sub folder/moved é.csv").ConfigureAwait(false);

        Assert.Equal(staged, await ReadAsync("moves/sub folder/moved é.csv").ConfigureAwait(false));
        Assert.Null(await ReadAsync("moves/target.csv").ConfigureAwait(false));
        Assert.Equal(["moves/sub folder/moved é.csv"], (await ListAsync("moves/").ConfigureAwait(false)).Select(f => f.Path));
    }

    /// <summary>
    /// An export with fixed file names replaces its whole set as one step from a reader's view: while a run writes, the
    /// names still hold the previous run's files; a run with fewer parts removes the extra ones; a failed run leaves the
    /// previous set as it was, with nothing staged left behind. A destination that cannot move files refuses such an
    /// export, naming why.
    /// </summary>
    /// <returns>A task.</returns>
    [Fact]
    public async Task FixedNameExport_ReplacesTheWholeSet_AndAFailedRunLeavesThePreviousOne()
    {
        var source = new GenerationSource();
        var services = new ServiceCollection();
        services.AddExports().UseInMemoryExportStore()
            .AddDestinationProvider(new InstanceProvider(Destination))
            .AddDestination("partner", InstanceProvider.TypeName, d =>
            {
                d.FolderPath = FixedFolder;
                d.Output.MaxRowsPerFile = 10;
                d.Output.WriteLatest = true;
            })
            .AddAudienceSource("generations", source)
            .AddDataflow("fixed-flow", f =>
            {
                f.Source = "generations";
                f.Destination = "partner";
                f.Attributes = ["email"];
                f.Audiences = [new AudienceActivation { AudienceId = "aud", FileNameTemplate = "%DESTINATION_NAME%_%SEGMENT_ID%" }];
            });
        var provider = services.BuildServiceProvider();
        await using var disposeProvider = provider.ConfigureAwait(false);
        var runner = provider.GetRequiredService<IExportRunner>();
        var dataflow = provider.GetRequiredService<Microsoft.Extensions.Options.IOptions<ExportsOptions>>().Value.GetDataflow("fixed-flow");

        source.Rows = 25;
        var first = await runner.RunAsync(dataflow, new ExportRunRequest()).ConfigureAwait(false);
        if (Destination is not IDestinationMove)
        {
            Assert.Equal(ExportRunStatus.Failed, first.Status);
            Assert.Contains("cannot move files (IDestinationMove)", Assert.Single(first.Errors), StringComparison.Ordinal);
            Assert.DoesNotContain(await ListRawAsync().ConfigureAwait(false), p => p.StartsWith(FixedFolder + "/", StringComparison.Ordinal));
            return;
        }

        Assert.True(first.Status == ExportRunStatus.Succeeded, string.Join(" ", first.Errors));
        string[] threeParts = [$"{FixedFolder}/partner_aud.csv", $"{FixedFolder}/partner_aud_2.csv", $"{FixedFolder}/partner_aud_3.csv"];
        Assert.Equal(threeParts, await DataFilesAsync().ConfigureAwait(false));

        // Run 2, two parts: half-way through, the fixed names still hold run 1's set.
        source.Rows = 15;
        source.Generation = 2;
        source.MidRead = async () =>
        {
            Assert.Equal(threeParts, await DataFilesAsync().ConfigureAwait(false));
            Assert.All(await ReadRowsAsync(threeParts).ConfigureAwait(false), row => Assert.StartsWith("g1-", row, StringComparison.Ordinal));
        };
        var second = await runner.RunAsync(dataflow, new ExportRunRequest()).ConfigureAwait(false);
        Assert.True(second.Status == ExportRunStatus.Succeeded, string.Join(" ", second.Errors));
        string[] twoParts = [.. threeParts.Take(2)];
        Assert.Equal(twoParts, await DataFilesAsync().ConfigureAwait(false));
        Assert.Equal(Enumerable.Range(0, 15).Select(i => $"g2-{i}@example.com"), await ReadRowsAsync(twoParts).ConfigureAwait(false));
        Assert.Equal(twoParts, second.Files.Select(f => f.Path));
        var latest = await LatestAsync().ConfigureAwait(false);
        Assert.Equal(second.RunId, latest.RunId);
        Assert.Equal(twoParts, latest.Files);

        // Run 3 fails after its first part was committed (staged): run 2's set stays, and nothing staged remains.
        source.Generation = 3;
        source.FailAfter = 12;
        source.MidRead = null;
        var third = await runner.RunAsync(dataflow, new ExportRunRequest()).ConfigureAwait(false);
        Assert.Equal(ExportRunStatus.Failed, third.Status);
        Assert.Equal(twoParts, await DataFilesAsync().ConfigureAwait(false));
        Assert.Equal(Enumerable.Range(0, 15).Select(i => $"g2-{i}@example.com"), await ReadRowsAsync(twoParts).ConfigureAwait(false));
        Assert.DoesNotContain(await ListRawAsync().ConfigureAwait(false), p => p.Contains(".staged", StringComparison.Ordinal));
        latest = await LatestAsync().ConfigureAwait(false);
        Assert.Equal(second.RunId, latest.RunId);
        Assert.Equal(twoParts, latest.Files);
    }

    /// <summary>The run and files the <c>latest/</c> copy of the manifest names, read straight from the store.</summary>
    private async Task<(string RunId, string[] Files)> LatestAsync()
    {
        var bytes = await ReadAsync($"{FixedFolder}/latest/fixed-flow/aud.json").ConfigureAwait(false) ?? throw new InvalidOperationException("No latest/ manifest.");
        using var json = JsonDocument.Parse(bytes);
        return (json.RootElement.GetProperty("flowRunId").GetString()!,
            [.. json.RootElement.GetProperty("exportResults").EnumerateArray().Select(f => f.GetProperty("sinkPath").GetString()!)]);
    }

    /// <summary>The data files a partner reads under the fixed-name folder (not the manifests, not hidden staged or temporary files).</summary>
    private async Task<List<string>> DataFilesAsync() =>
        [.. (await ListRawAsync().ConfigureAwait(false))
            .Where(p => p.StartsWith(FixedFolder + "/", StringComparison.Ordinal) && !p.EndsWith(".json", StringComparison.Ordinal) && !p[(FixedFolder.Length + 1)..].StartsWith('.'))
            .Order(StringComparer.Ordinal)];

    /// <summary>The first column of every row of the files, read straight from the store, header skipped.</summary>
    private async Task<List<string>> ReadRowsAsync(IEnumerable<string> paths)
    {
        var rows = new List<string>();
        foreach (var path in paths)
        {
            var bytes = await ReadAsync(path).ConfigureAwait(false) ?? throw new InvalidOperationException($"'{path}' is missing.");
            rows.AddRange(Encoding.UTF8.GetString(bytes).Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(line => line.Split(',')[0].TrimEnd('\r')));
        }

        return rows;
    }

    /// <summary>Serves the destination under test to the SDK.</summary>
    private sealed class InstanceProvider(IDestination destination) : IDestinationProvider
    {
        public const string TypeName = "conformance-instance";

        public DestinationDescriptor Descriptor { get; } = new(TypeName, "The destination under test");

        public IReadOnlyList<string> Validate(DestinationDefinition definition) => [];

        public IDestination Create(DestinationDefinition definition, IServiceProvider services) => destination;
    }

    /// <summary>An audience whose rows name the run that read them (<c>g2-7@example.com</c>); can fail or pause part-way.</summary>
    private sealed class GenerationSource : IAudienceSource
    {
        public int Rows { get; set; }

        public int Generation { get; set; } = 1;

        public int? FailAfter { get; set; }

        /// <summary>Called once, after the first ten rows were handed over and so their part committed.</summary>
        public Func<Task>? MidRead { get; set; }

        public async IAsyncEnumerable<AudienceInfo> ListAudiencesAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            yield return new AudienceInfo("aud", "Fixed-name audience");
            await Task.CompletedTask.ConfigureAwait(false);
        }

        public async IAsyncEnumerable<RowBatch> ReadMembersAsync(AudienceReadRequest request, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            var schema = new ExportSchema([
                new ExportColumn("email", ExportColumnType.String),
                new ExportColumn(AudienceColumns.MembershipStatus, ExportColumnType.String),
                new ExportColumn(AudienceColumns.MembershipStatusTime, ExportColumnType.Timestamp)]);
            var batch = new RowBatch(schema, 10);
            for (var i = 0; i < Rows; i++)
            {
                if (i == FailAfter)
                {
                    throw new ExportException($"Generation {Generation} fails after {i} rows, as the test asks.");
                }

                if (i == 10 && MidRead is { } midRead)
                {
                    await midRead().ConfigureAwait(false);
                }

                var row = batch.AddRow();
                batch.SetString(row, 0, $"g{Generation}-{i}@example.com");
                batch.SetString(row, 1, AudienceColumns.Realized);
                batch.SetTimestamp(row, 2, DateTimeOffset.UnixEpoch);
                if (batch.IsFull)
                {
                    yield return batch;
                    batch.Clear();
                }
            }

            if (batch.Count > 0)
            {
                yield return batch;
            }
        }
    }
}
