using CustomDestination.ChunkStore;
using Exports.Sdk.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Exports.Sdk.Tests.Destinations;

/// <summary>The custom destination of <c>samples/CustomDestination</c> passes the suites every built-in destination passes.</summary>
public static class CustomDestinationSampleTests
{
    public sealed class Destination : DestinationConformanceTests
    {
        private readonly string _root = Path.Combine(Path.GetTempPath(), "exports-chunk-store-" + Guid.NewGuid().ToString("N"));

        protected override ValueTask<IDestination> CreateDestinationAsync() =>
            new(new ChunkStoreProvider().Create(new DestinationDefinition { Name = "chunks", Type = "chunk-store", Settings = { ["root"] = _root } }, new ServiceCollection().BuildServiceProvider()));

        protected override async ValueTask<byte[]?> ReadAsync(string path)
        {
            var full = Path.Combine(_root, path);
            return File.Exists(full) ? await File.ReadAllBytesAsync(full) : null;
        }

        // Every file on disk, the chunks of open uploads included.
        protected override ValueTask<IReadOnlyList<string>> ListRawAsync() =>
            new(Directory.Exists(_root)
                ? [.. Directory.EnumerateFiles(_root, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(_root, f).Replace(Path.DirectorySeparatorChar, '/'))]
                : []);

        protected override ValueTask<long> StagedBytesAsync(string path, IDestinationWriter writer) =>
            new(Directory.EnumerateFiles(Path.Combine(_root, ".chunks"), "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length));

        protected override ValueTask CleanUpAsync()
        {
            if (Directory.Exists(_root))
            {
                Directory.Delete(_root, recursive: true);
            }

            return ValueTask.CompletedTask;
        }
    }

    public sealed class Provider : DestinationProviderConformanceTests
    {
        protected override IDestinationProvider CreateProvider() => new ChunkStoreProvider();

        protected override DestinationDefinition CreateValidDefinition() =>
            new() { Name = "chunks", Type = "chunk-store", Settings = { ["root"] = Path.Combine(Path.GetTempPath(), "exports-chunk-store-unused") } };
    }
}
