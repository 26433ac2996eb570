using System.Globalization;

namespace Exports.Sdk;

/// <summary>
/// The base of a destination: a default connection test that writes, commits and deletes a small file, so a provider
/// implements only opening, listing and deleting files.
/// </summary>
public abstract class DestinationBase : IDestination
{
    /// <summary>Creates the destination.</summary>
    /// <param name="name">The destination's name, for messages.</param>
    protected DestinationBase(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        Name = name;
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public abstract ValueTask<IDestinationWriter> OpenWriteAsync(string path, CancellationToken cancellationToken = default);

    /// <inheritdoc />
    public abstract IAsyncEnumerable<DestinationFile> ListAsync(string prefix, CancellationToken cancellationToken = default);

    /// <inheritdoc />
    public abstract ValueTask DeleteAsync(string path, CancellationToken cancellationToken = default);

    /// <inheritdoc />
    /// <remarks>Writes <c>.exports-connection-test-&lt;id&gt;</c> at the root, commits it and deletes it.</remarks>
    public virtual async ValueTask<ConnectionTestResult> TestConnectionAsync(CancellationToken cancellationToken = default)
    {
        var path = ".exports-connection-test-" + Guid.NewGuid().ToString("N");
        try
        {
            var writer = await OpenWriteAsync(path, cancellationToken).ConfigureAwait(false);
            await using (writer.ConfigureAwait(false))
            {
                await writer.Stream.WriteAsync("connection test\n"u8.ToArray(), cancellationToken).ConfigureAwait(false);
                await writer.CommitAsync(cancellationToken).ConfigureAwait(false);
            }

            await DeleteAsync(path, cancellationToken).ConfigureAwait(false);
            return ConnectionTestResult.Success(string.Create(CultureInfo.InvariantCulture, $"Destination '{Name}': a test file was written and removed."));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return ConnectionTestResult.Failure(ex.Message.StartsWith($"Destination '{Name}'", StringComparison.Ordinal)
                ? ex.Message
                : $"Destination '{Name}': the test file could not be written: {ex.Message}");
        }
    }
}
