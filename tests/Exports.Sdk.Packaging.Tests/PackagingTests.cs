using System.IO.Compression;
using System.Xml.Linq;

namespace Exports.Sdk.Packaging.Tests;

/// <summary>
/// What a developer adding the packages from NuGet gets: one package per src project with its README, license,
/// XML docs, symbols and repository metadata, usable from a plain folder feed.
/// </summary>
[Collection(nameof(PackagingTests))]
public sealed class PackagingTests
{
    [Fact]
    public async Task Pack_Solution_ProducesOneCompletePackagePerSrcProject_AndAConsumerBuildsAndExportsFromThatFolder()
    {
        var feed = Path.Combine(Repository.Root, "artifacts", "packages");
        if (Directory.Exists(feed))
        {
            Directory.Delete(feed, recursive: true);
        }

        var pack = await Repository.DotnetAsync(Repository.Root, "pack", "Exports.Sdk.sln", "-c", Repository.Configuration, "--no-build", "-o", feed);
        pack.ExitCode.Should().Be(0, pack.Output);

        var projects = Directory.GetDirectories(Path.Combine(Repository.Root, "src")).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        var packages = Directory.GetFiles(feed, "*.nupkg").Select(Path.GetFileName).ToList();
        packages.Should().HaveCount(projects.Count);
        foreach (var project in projects)
        {
            var package = packages.Should().ContainSingle(p => p!.StartsWith(project + ".0", StringComparison.Ordinal) || p!.StartsWith(project + ".1", StringComparison.Ordinal)).Subject!;
            File.Exists(Path.Combine(feed, Path.ChangeExtension(package, ".snupkg"))).Should().BeTrue($"{project} ships symbols");
            using var zip = ZipFile.OpenRead(Path.Combine(feed, package));
            zip.Entries.Select(e => e.FullName).Should().Contain("README.md").And.Contain($"lib/net10.0/{project}.dll").And.Contain($"lib/net10.0/{project}.xml");
            var nuspec = XDocument.Load(zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open());
            var ns = nuspec.Root!.GetDefaultNamespace();
            var metadata = nuspec.Root.Element(ns + "metadata")!;
            metadata.Element(ns + "license")!.Value.Should().Be("MIT");
            metadata.Element(ns + "readme")!.Value.Should().Be("README.md");
            metadata.Element(ns + "description")!.Value.Should().NotBeNullOrWhiteSpace();
            metadata.Element(ns + "repository")!.Attribute("url")!.Value.Should().StartWith("https://");
        }

        // A customer's project, restored only from that folder (and nuget.org for third-party dependencies).
        var consumer = Path.Combine(Repository.Root, "samples", "PackageConsumer");
        var version = packages.Single(p => p!.StartsWith("Exports.Sdk.0", StringComparison.Ordinal) || p!.StartsWith("Exports.Sdk.1", StringComparison.Ordinal))!["Exports.Sdk.".Length..^".nupkg".Length];
        var cache = Path.Combine(Path.GetTempPath(), "exports-consumer-packages-" + Guid.NewGuid().ToString("N"));
        var output = Path.Combine(Path.GetTempPath(), "exports-consumer-out-" + Guid.NewGuid().ToString("N"));
        try
        {
            var build = await Repository.DotnetAsync(consumer, "build", "-c", "Release", $"-p:ExportsSdkVersion={version}", $"-p:RestorePackagesPath={cache}", "-o", Path.Combine(output, "bin"));
            build.ExitCode.Should().Be(0, build.Output);
            Directory.GetDirectories(cache).Select(Path.GetFileName).Should().Contain("exports.sdk", "the SDK came from the package feed");
            File.Exists(Path.Combine(output, "bin", "Exports.Sdk.dll")).Should().BeTrue();

            var run = await Repository.DotnetAsync(consumer, Path.Combine(output, "bin", "PackageConsumer.dll"), Path.Combine(output, "drop"));

            run.ExitCode.Should().Be(0, run.Output);
            run.Output.Should().Contain("Succeeded");
            File.Exists(Path.Combine(output, "drop", "drop_vip.csv.gz")).Should().BeTrue(run.Output);
        }
        finally
        {
            TryDelete(cache);
            TryDelete(output);
        }
    }

    [Fact]
    public async Task Build_PublicMemberRemovedWithoutUpdatingTheApiFiles_Fails()
    {
        // Remove one public member, as a careless refactoring would.
        var build = await BuildChangedCoreAsync(Path.Combine("Data", "RowBatch.cs"), "    public bool IsFull => Count == Capacity;", "");

        build.ExitCode.Should().NotBe(0);
        build.Output.Should().Contain("RS0017").And.Contain("Exports.Sdk.RowBatch.IsFull.get");
    }

    [Fact]
    public async Task Build_WallClockReadInAPackage_Fails()
    {
        // The wall clock instead of the injected TimeProvider.
        var build = await BuildChangedCoreAsync(Path.Combine("Data", "RowBatch.cs"), "    public bool IsFull => Count == Capacity;",
            "    public bool IsFull => Count == Capacity && System.DateTimeOffset.UtcNow.Year > 0;");

        build.ExitCode.Should().NotBe(0);
        build.Output.Should().Contain("RS0030").And.Contain("DateTimeOffset.UtcNow").And.Contain("TimeProvider");
    }

    /// <summary>Builds a copy of the core package with one line of one file replaced.</summary>
    private static async Task<(int ExitCode, string Output)> BuildChangedCoreAsync(string file, string line, string replacement)
    {
        var copy = Path.Combine(Path.GetTempPath(), "exports-api-guard-" + Guid.NewGuid().ToString("N"));
        try
        {
            foreach (var name in new[] { "Directory.Build.props", "Directory.Packages.props", "BannedSymbols.txt", "global.json", "nuget.config", ".editorconfig" })
            {
                File.Copy(Path.Combine(Repository.Root, name), Path.Combine(Directory.CreateDirectory(copy).FullName, name));
            }

            var source = Path.Combine(Repository.Root, "src", "Exports.Sdk");
            var target = Path.Combine(copy, "src", "Exports.Sdk");
            foreach (var path in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories)
                .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                    && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)))
            {
                var destination = Path.Combine(target, Path.GetRelativePath(source, path));
                Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
                File.Copy(path, destination);
            }

            var changed = Path.Combine(target, file);
            var code = await File.ReadAllTextAsync(changed);
            code.Should().Contain(line);
            await File.WriteAllTextAsync(changed, code.Replace(line, replacement, StringComparison.Ordinal));

            return await Repository.DotnetAsync(copy, "build", Path.Combine("src", "Exports.Sdk", "Exports.Sdk.csproj"), "-c", "Release");
        }
        finally
        {
            TryDelete(copy);
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }
}
