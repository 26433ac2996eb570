using Exports.Sdk.Testing;

namespace Exports.Sdk.Tests.Destinations;

public sealed class InMemoryDestinationConformanceTests : DestinationConformanceTests
{
    private readonly InMemoryDestination _destination = new();

    protected override ValueTask<IDestination> CreateDestinationAsync() => new(_destination);

    protected override ValueTask<byte[]?> ReadAsync(string path) => new(_destination.Files.GetValueOrDefault(path));

    protected override ValueTask<long> StagedBytesAsync(string path, IDestinationWriter writer) => new(_destination.GetPendingBytes(path));
}
