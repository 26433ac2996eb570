using System.IO.Pipelines;

namespace Exports.Sdk.Destinations.Sftp;

/// <summary>
/// Streams one file to a hidden temp name beside its final name; <see cref="CommitAsync"/> renames it into place with
/// the atomic, replacing <c>posix-rename@openssh.com</c>, so readers never see a partial file. Bytes go through a small
/// pipe into SSH.NET's pipelined upload (many writes in flight, which matters on high-latency links); the stream's
/// length is never asked for. Disposing without commit stops the upload and deletes the temp file.
/// </summary>
internal sealed class SftpFileWriter : IDestinationWriter
{
    // Back-pressure: the engine waits when 1 MiB is queued for the network.
    private static readonly PipeOptions PipeSettings = new(pauseWriterThreshold: 1 << 20, resumeWriterThreshold: 1 << 18, minimumSegmentSize: 1 << 16, useSynchronizationContext: false);

    private readonly SftpDestination _owner;
    private readonly SftpConnection _connection;
    private readonly string _path;
    private readonly string _remotePath;
    private readonly Pipe _pipe = new(PipeSettings);
    private readonly CancellationTokenSource _lifetime = new();
    private readonly Task _upload;
    private long _bytes;
    private bool _committed;
    private bool _failed;
    private bool _disposed;

    public SftpFileWriter(SftpDestination owner, SftpConnection connection, string path, string remotePath, string tempPath)
    {
        _owner = owner;
        _connection = connection;
        _path = path;
        _remotePath = remotePath;
        TempPath = tempPath;
        var input = _pipe.Reader.AsStream();
        var token = _lifetime.Token;
        _upload = Task.Run(() => connection.Client.UploadFileAsync(input, tempPath, canOverride: false, uploadProgress: null, token), token);
        Stream = new DestinationWriteStream(WriteAsync);
    }

    public Stream Stream { get; }

    /// <summary>The remote temp file (for tests and logs).</summary>
    internal string TempPath { get; }

    public async ValueTask CommitAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfNotWritable();
        try
        {
            await _pipe.Writer.CompleteAsync().ConfigureAwait(false);
            await WaitForUploadAsync(cancellationToken).ConfigureAwait(false);
            await _owner.PublishAsync(_connection, TempPath, _remotePath, _path, cancellationToken).ConfigureAwait(false);
            _committed = true;
            _owner.LogCommitted(_path, _bytes, TempPath);
        }
        catch
        {
            _failed = true;
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (!_committed)
        {
            // Fails the upload's reads, so SSH.NET stops and closes the temp file.
            await _pipe.Writer.CompleteAsync(new OperationCanceledException("The upload was aborted.")).ConfigureAwait(false);
            await _lifetime.CancelAsync().ConfigureAwait(false);
        }

        try
        {
            await _upload.ConfigureAwait(false);
        }
        catch (Exception) when (!_committed)
        {
            // The upload was abandoned; its failure no longer matters.
        }

        if (!_committed)
        {
            await _owner.DeleteTempAsync(_connection, TempPath, _path).ConfigureAwait(false);
        }

        await _pipe.Reader.CompleteAsync().ConfigureAwait(false);
        _connection.Dispose();
        _lifetime.Dispose();
    }

    private async ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        ThrowIfNotWritable();
        try
        {
            if (_upload.IsCompleted)
            {
                // The upload ended before the data did: surface its error.
                await WaitForUploadAsync(cancellationToken).ConfigureAwait(false);
                throw new DestinationException($"Destination '{_owner.Name}': the upload of '{_path}' stopped early.", isTransient: true);
            }

            var result = await _pipe.Writer.WriteAsync(data, cancellationToken).ConfigureAwait(false);
            _bytes += data.Length;
            if (result.IsCompleted)
            {
                await WaitForUploadAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch
        {
            _failed = true;
            throw;
        }
    }

    private async ValueTask WaitForUploadAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _upload.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && _owner.Map(ex, "upload", _path) is { } mapped)
        {
            throw mapped;
        }
    }

    private void ThrowIfNotWritable()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_committed)
        {
            throw new InvalidOperationException("The file was already committed.");
        }

        if (_failed)
        {
            // A stream error, as callers expect when they flush a broken stream (e.g. a gzip trailer on abort).
            throw new IOException("An earlier write or commit of this file failed; the upload is abandoned.");
        }
    }
}
