using System.IO.Pipelines;

namespace Exports.Sdk;

/// <summary>
/// The base of a destination writer for clients that upload from a <see cref="System.IO.Stream"/> they read themselves
/// (an SFTP upload, an HTTP PUT with a streamed body). The upload starts when the writer is created and reads what is
/// written through a small pipe, with back-pressure (writes wait while 1 MiB is queued). The commit ends the stream,
/// waits for the upload and calls <see cref="PublishAsync"/> (e.g. rename a temp file into place); disposing without
/// commit fails the upload's reads, waits for it to stop and calls <see cref="AbortAsync"/> (e.g. delete the temp file).
/// </summary>
/// <remarks>Call <see cref="Start"/> at the end of the derived constructor. After a failed write or commit every further call throws <see cref="IOException"/>.</remarks>
public abstract class StreamingUploadWriter : IDestinationWriter
{
    private static readonly PipeOptions PipeSettings = new(pauseWriterThreshold: 1 << 20, resumeWriterThreshold: 1 << 18, minimumSegmentSize: 1 << 16, useSynchronizationContext: false);

    private readonly string _destinationName;
    private readonly string _path;
    private readonly Pipe _pipe = new(PipeSettings);
    private readonly CancellationTokenSource _lifetime = new();
    private Task? _upload;
    private readonly WriterLifecycle _state = new();

    /// <summary>Creates the writer; the derived constructor calls <see cref="Start"/> once its own fields are set.</summary>
    /// <param name="destinationName">The destination's name, for messages.</param>
    /// <param name="path">The file's path, for messages.</param>
    protected StreamingUploadWriter(string destinationName, string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(destinationName);
        ArgumentNullException.ThrowIfNull(path);
        _destinationName = destinationName;
        _path = path;
        Stream = new DestinationWriteStream(WriteAsync);
    }

    /// <inheritdoc />
    public Stream Stream { get; }

    /// <summary>The bytes written to <see cref="Stream"/> so far.</summary>
    public long BytesWritten { get; private set; }

    /// <summary>Uploads what <paramref name="input"/> yields until it ends; runs in the background from <see cref="Start"/>.</summary>
    /// <param name="input">The bytes written to <see cref="Stream"/>; reading fails when the writer is disposed without commit.</param>
    /// <param name="cancellationToken">Cancelled when the writer is disposed without commit.</param>
    /// <returns>A task that completes when the store holds every byte (not yet under the final name).</returns>
    protected abstract Task UploadAsync(Stream input, CancellationToken cancellationToken);

    /// <summary>Makes the uploaded file visible under its final name, atomically.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task.</returns>
    protected abstract ValueTask PublishAsync(CancellationToken cancellationToken);

    /// <summary>Removes what the upload left of an uncommitted file. Best effort: log and swallow the store's failures.</summary>
    /// <returns>A task.</returns>
    protected abstract ValueTask AbortAsync();

    /// <summary>Releases what the writer holds (a connection), once the upload has stopped, committed or not. Default: nothing.</summary>
    /// <returns>A task.</returns>
    protected virtual ValueTask ReleaseAsync() => ValueTask.CompletedTask;

    /// <summary>Turns the upload's failure into the exception to throw (e.g. a <see cref="DestinationException"/>), or null to rethrow it. Default: null.</summary>
    /// <param name="exception">What the upload threw.</param>
    /// <returns>The exception to throw, or null.</returns>
    protected virtual Exception? MapUploadError(Exception exception) => null;

    /// <summary>Starts the background upload; call it once, at the end of the derived constructor.</summary>
    protected void Start()
    {
        if (_upload is not null)
        {
            throw new InvalidOperationException("The upload has already started.");
        }

        var token = _lifetime.Token;
        _upload = Task.Run(() => RunUploadAsync(token), token);
    }

    private async Task RunUploadAsync(CancellationToken cancellationToken)
    {
        try
        {
            await UploadAsync(_pipe.Reader.AsStream(leaveOpen: true), cancellationToken).ConfigureAwait(false);
            await _pipe.Reader.CompleteAsync().ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // Writes waiting on back-pressure return instead of waiting for a reader that is gone.
            await _pipe.Reader.CompleteAsync(ex).ConfigureAwait(false);
            throw;
        }
    }

    /// <inheritdoc />
    public async ValueTask CommitAsync(CancellationToken cancellationToken = default)
    {
        _state.ThrowIfNotWritable(this);
        try
        {
            await _pipe.Writer.CompleteAsync().ConfigureAwait(false);
            await WaitForUploadAsync(cancellationToken).ConfigureAwait(false);
            await PublishAsync(cancellationToken).ConfigureAwait(false);
            _state.MarkCommitted();
        }
        catch
        {
            _state.MarkFailed();
            throw;
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (!_state.BeginDispose())
        {
            return;
        }

        try
        {
            if (!_state.Committed)
            {
                // Fails the upload's reads, so the client stops and closes what it was writing.
                await _pipe.Writer.CompleteAsync(new OperationCanceledException("The upload was aborted.")).ConfigureAwait(false);
                await _lifetime.CancelAsync().ConfigureAwait(false);
            }

            if (_upload is { } upload)
            {
                try
                {
                    await upload.ConfigureAwait(false);
                }
#pragma warning disable CA1031 // The upload was abandoned: whatever its failure was, it no longer matters.
                catch (Exception) when (!_state.Committed)
#pragma warning restore CA1031
                {
                }
            }

            if (!_state.Committed)
            {
                await AbortAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            if (_upload is null)
            {
                await _pipe.Reader.CompleteAsync().ConfigureAwait(false);
            }

            await ReleaseAsync().ConfigureAwait(false);
            _lifetime.Dispose();
            GC.SuppressFinalize(this);
        }
    }

    private async ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        _state.ThrowIfNotWritable(this);
        try
        {
            if (_upload is not { } upload)
            {
                throw new InvalidOperationException("The upload was not started: the derived writer must call Start().");
            }

            if (upload.IsCompleted)
            {
                // The upload ended before the data did: surface its error.
                await WaitForUploadAsync(cancellationToken).ConfigureAwait(false);
                throw new DestinationException($"Destination '{_destinationName}': the upload of '{_path}' stopped early.", isTransient: true);
            }

            FlushResult result;
            try
            {
                result = await _pipe.Writer.WriteAsync(data, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception) when (!cancellationToken.IsCancellationRequested)
            {
                // The upload failed and its error reached the pipe: throw it as the upload's error, mapped.
                await WaitForUploadAsync(cancellationToken).ConfigureAwait(false);
                throw;
            }

            BytesWritten += data.Length;
            if (result.IsCompleted)
            {
                // The upload stopped reading: its error, or that it ended before the data did.
                await WaitForUploadAsync(cancellationToken).ConfigureAwait(false);
                throw new DestinationException($"Destination '{_destinationName}': the upload of '{_path}' stopped early.", isTransient: true);
            }
        }
        catch
        {
            _state.MarkFailed();
            throw;
        }
    }

    private async ValueTask WaitForUploadAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _upload!.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && MapUploadError(ex) is { } mapped)
        {
            throw mapped;
        }
    }
}
