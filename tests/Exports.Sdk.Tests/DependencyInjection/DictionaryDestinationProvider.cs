using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace Exports.Sdk.Tests.DependencyInjection;

/// <summary>The files every <see cref="DictionaryDestination"/> committed, by container and path.</summary>
public sealed class DictionaryStore
{
    public ConcurrentDictionary<string, byte[]> Files { get; } = new(StringComparer.Ordinal);
}

/// <summary>
/// A custom destination provider as an application would write one: type <c>dictionary</c>, a required
/// <c>container</c> setting and a secret <c>apiKey</c>. Files go into a <see cref="DictionaryStore"/> from DI.
/// </summary>
public sealed class DictionaryDestinationProvider(DictionaryStore store) : IDestinationProvider
{
    public const string TypeName = "dictionary";

    public DestinationDescriptor Descriptor { get; } = new(TypeName, "Dictionary (test)")
    {
        Description = "Keeps files in a dictionary.",
        Settings =
        [
            new DestinationSettingDescriptor("container", "The container files go to.") { IsRequired = true },
            new DestinationSettingDescriptor("apiKey", "The key.") { IsSecret = true, AuthScheme = "apiKey" },
            new DestinationSettingDescriptor("prefix", "A key prefix. Default none.") { DefaultValue = "" },
        ],
        AuthSchemes = ["apiKey"],
    };

    public IReadOnlyList<string> Validate(DestinationDefinition definition) =>
        definition.Settings.TryGetValue("container", out var container) && !string.IsNullOrEmpty(container)
            ? []
            : [$"Destination '{definition.Name}': setting 'container' is required."];

    public IDestination Create(DestinationDefinition definition, IServiceProvider services) =>
        new DictionaryDestination(definition.Name, definition.Settings["container"]!, store);
}

public sealed class DictionaryDestination(string name, string container, DictionaryStore store) : IDestination, IDestinationMove
{
    public string Name => name;

    public ValueTask<IDestinationWriter> OpenWriteAsync(string path, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult<IDestinationWriter>(new Writer(store, container + "/" + path));
    }

    public async IAsyncEnumerable<DestinationFile> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Task.Yield();
        foreach (var (key, bytes) in store.Files)
        {
            var path = key[(container.Length + 1)..];
            if (key.StartsWith(container + "/", StringComparison.Ordinal) && path.StartsWith(prefix, StringComparison.Ordinal))
            {
                yield return new DestinationFile(path, bytes.Length);
            }
        }
    }

    public ValueTask DeleteAsync(string path, CancellationToken cancellationToken = default)
    {
        store.Files.TryRemove(container + "/" + path, out _);
        return ValueTask.CompletedTask;
    }

    public ValueTask MoveAsync(string sourcePath, string targetPath, CancellationToken cancellationToken = default)
    {
        // One assignment replaces the target: readers see the old bytes or the new ones.
        if (store.Files.TryRemove(container + "/" + sourcePath, out var bytes))
        {
            store.Files[container + "/" + targetPath] = bytes;
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask<ConnectionTestResult> TestConnectionAsync(CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(ConnectionTestResult.Success("ok"));

    private sealed class Writer(DictionaryStore store, string key) : IDestinationWriter
    {
        private readonly MemoryStream _buffer = new();

        public Stream Stream => _buffer;

        public ValueTask CommitAsync(CancellationToken cancellationToken = default)
        {
            cancellationToken.ThrowIfCancellationRequested();
            store.Files[key] = _buffer.ToArray();
            return ValueTask.CompletedTask;
        }

        public ValueTask DisposeAsync() => _buffer.DisposeAsync();
    }
}
