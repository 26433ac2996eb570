using System.Text.Json;

namespace Exports.Sdk;

/// <summary>Names, serialises and publishes manifests.</summary>
public static class ManifestWriter
{
    /// <summary>The manifest file name: <c>manifest-&lt;destinationId&gt;-&lt;runId&gt;.json</c> (sanitised).</summary>
    /// <param name="destinationId">The destination id.</param>
    /// <param name="runId">The run id.</param>
    /// <returns>The file name.</returns>
    public static string GetFileName(string destinationId, string runId)
    {
        // The run id is kept whole, so runs never share a manifest name; a long destination id is shortened instead.
        var suffix = $"-{FileNameSanitizer.Sanitize(runId)}.json";
        return FileNameSanitizer.Fit(FileNameSanitizer.Sanitize($"manifest-{destinationId}"), suffix) + suffix;
    }

    /// <summary>Reads a manifest from JSON.</summary>
    /// <param name="json">The UTF-8 JSON.</param>
    /// <returns>The manifest.</returns>
    public static ExportManifest Read(ReadOnlySpan<byte> json) =>
        JsonSerializer.Deserialize(json, ManifestJsonContext.Default.ExportManifest)
        ?? throw new JsonException("The manifest is empty.");

    /// <summary>Writes a manifest to a destination as one atomically committed file.</summary>
    /// <param name="destination">The destination.</param>
    /// <param name="path">The manifest's path.</param>
    /// <param name="manifest">The manifest.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>The committed file's size.</returns>
    public static async ValueTask<long> WriteAsync(IDestination destination, string path, ExportManifest manifest, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var bytes = JsonSerializer.SerializeToUtf8Bytes(manifest, ManifestJsonContext.Default.ExportManifest);
        var writer = await destination.OpenWriteAsync(path, cancellationToken).ConfigureAwait(false);
        await using (writer.ConfigureAwait(false))
        {
            await writer.Stream.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
            await writer.CommitAsync(cancellationToken).ConfigureAwait(false);
        }

        return bytes.Length;
    }
}
