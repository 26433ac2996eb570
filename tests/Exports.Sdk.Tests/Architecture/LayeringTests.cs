namespace Exports.Sdk.Tests.Architecture;

/// <summary>
/// The core's folders read bottom-up: contracts and data, then building blocks, then the engine, then orchestration,
/// then configuration. A folder may use its own layer and those below, never one above, and no folders form a cycle.
/// </summary>
public sealed class LayeringTests
{
    /// <summary>The layers of <c>src/Exports.Sdk</c>, lowest first.</summary>
    private static readonly string[][] CoreLayers =
    [
        ["Data", "Errors"],
        ["Definitions"],
        ["Abstractions"],
        ["Diagnostics", "Naming", "Formats", "Writing", "Destinations", "Manifests", "Sources"],
        ["Engine", "Validation"],
        ["Store", "Runs", "Permissions", "Scheduling", "Management", "Health"],
        ["Presets", "DependencyInjection"],
    ];

    [Fact]
    public void Core_Folders_FollowTheLayersWithoutCycles()
    {
        var graph = FolderGraph.FromDirectory(Path.Combine(RepositoryRoot(), "src", "Exports.Sdk"));

        graph.Folders.Should().HaveCountGreaterThan(15, "the core's code was found");
        Violations(graph, CoreLayers).Should().BeEmpty();
    }

    [Fact]
    public void Violations_FolderCycleIntroduced_ReportsTheCycle()
    {
        // Two folders of the same layer that refer to each other.
        var graph = FolderGraph.FromSources(
        [
            ("Writing/PartWriter.cs", "namespace Exports.Sdk; internal sealed class PartWriter { private Uploader? _u; }"),
            ("Destinations/Uploader.cs", "namespace Exports.Sdk; internal sealed class Uploader { public PartWriter? Writer { get; } }"),
        ]);

        Violations(graph, [["Writing", "Destinations"]]).Should().ContainSingle()
            .Which.Should().Be("Folder cycle: Destinations, Writing (Destinations -> Writing: PartWriter@Uploader.cs; Writing -> Destinations: Uploader@PartWriter.cs)");
    }

    [Fact]
    public void Violations_ContractRefersUpward_ReportsTheReference()
    {
        var graph = FolderGraph.FromSources(
        [
            ("Abstractions/IRunner.cs", "namespace Exports.Sdk; public interface IRunner { Coordinator Start(); }"),
            ("Runs/Coordinator.cs", "namespace Exports.Sdk; /// <summary>Serves <see cref=\"IRunner\"/>.</summary>\npublic sealed class Coordinator { }"),
        ]);

        Violations(graph, [["Abstractions"], ["Runs"]]).Should().Equal(
            "Abstractions (layer 0) refers up to Runs (layer 1): Coordinator@IRunner.cs");
    }

    [Fact]
    public void Violations_MemberNamedLikeAType_IsNoReference()
    {
        // `o.Writer` and `Writer = Writer` name properties, `/// <see cref="Writer"/>` is documentation: none makes
        // Engine depend on Writing. `Writer Writer` declares a property of that type: that one does.
        var graph = FolderGraph.FromSources(
        [
            ("Writing/Writer.cs", "namespace Exports.Sdk; internal sealed class Writer { }"),
            ("Engine/Runner.cs", "namespace Exports.Sdk; /// <see cref=\"Writer\"/>\ninternal sealed class Runner { object M(Options o) => o.Writer; }"),
            ("Engine/Options.cs", "namespace Exports.Sdk; internal sealed class Options { public object Writer { get; set; } = new(); public Options Copy() => new() { Writer = Writer }; }"),
        ]);
        var typed = FolderGraph.FromSources(
        [
            ("Writing/Writer.cs", "namespace Exports.Sdk; internal sealed class Writer { }"),
            ("Engine/Options.cs", "namespace Exports.Sdk; internal sealed class Options { public Writer? Writer { get; set; } }"),
        ]);

        graph.EdgesFrom("Engine").Should().BeEmpty();
        typed.EdgesFrom("Engine").Keys.Should().Equal("Writing");
    }

    [Fact]
    public void Violations_FolderInNoLayer_IsReported()
    {
        var graph = FolderGraph.FromSources([("Helpers/Misc.cs", "namespace Exports.Sdk; internal static class Misc { }")]);

        Violations(graph, [["Data"]]).Should().Equal("Folder 'Helpers' is in no layer: add it to the layer list or move its files.");
    }

    private static List<string> Violations(FolderGraph graph, string[][] layers)
    {
        var layerOf = layers.SelectMany((folders, layer) => folders.Select(f => (f, layer))).ToDictionary(x => x.f, x => x.layer, StringComparer.Ordinal);
        var violations = new List<string>();
        foreach (var folder in graph.Folders)
        {
            if (!layerOf.TryGetValue(folder, out var layer))
            {
                violations.Add($"Folder '{folder}' is in no layer: add it to the layer list or move its files.");
                continue;
            }

            foreach (var (target, references) in graph.EdgesFrom(folder))
            {
                if (layerOf.TryGetValue(target, out var targetLayer) && targetLayer > layer)
                {
                    violations.Add($"{folder} (layer {layer}) refers up to {target} (layer {targetLayer}): {string.Join(", ", references)}");
                }
            }
        }

        foreach (var cycle in graph.FindCycles())
        {
            var edges = cycle.SelectMany(from => graph.EdgesFrom(from).Where(e => cycle.Contains(e.Key)).Select(e => $"{from} -> {e.Key}: {string.Join(", ", e.Value)}"));
            violations.Add($"Folder cycle: {string.Join(", ", cycle)} ({string.Join("; ", edges)})");
        }

        return violations;
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Exports.Sdk.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("The repository root (Exports.Sdk.sln) was not found above " + AppContext.BaseDirectory);
    }
}
