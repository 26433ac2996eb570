using Exports.Sdk.Testing;
using Exports.Sdk.Tests.Fixtures;

namespace Exports.Sdk.Tests.Store;

/// <summary>The shared store contract, run against both built-in stores.</summary>
public static class ExportStoreContractTests
{
    public sealed class InMemoryStore : ExportStoreConformanceTests
    {
        protected override ValueTask<IExportStore> CreateStoreAsync() => ValueTask.FromResult<IExportStore>(new InMemoryExportStore());
    }

    public sealed class FileStore : ExportStoreConformanceTests, IDisposable
    {
        private readonly TempFolder _folder = new();

        public void Dispose() => _folder.Dispose();

        protected override ValueTask<IExportStore> CreateStoreAsync() => ValueTask.FromResult<IExportStore>(new FileExportStore(_folder.Root));
    }
}
