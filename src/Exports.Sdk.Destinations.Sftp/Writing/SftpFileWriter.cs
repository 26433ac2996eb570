namespace Exports.Sdk.Destinations.Sftp;

/// <summary>
/// Streams one file to a hidden temp name beside its final name (<see cref="StreamingUploadWriter"/>: a small pipe into
/// SSH.NET's pipelined upload, with as many writes in flight as the link needs (<see cref="UploadWindow"/>); the
/// stream's length is never asked for). The commit renames it into place with the atomic, replacing
/// <c>posix-rename@openssh.com</c>, so readers never see a partial file. Disposing without commit stops the upload and
/// deletes the temp file.
/// </summary>
internal sealed class SftpFileWriter : StreamingUploadWriter, IPendingWrite
{
    private bool _settled;
    private bool _reusable;

    private readonly SftpDestination _owner;
    private readonly SftpConnection _connection;
    private readonly string _path;
    private readonly string _remotePath;

    public SftpFileWriter(SftpDestination owner, SftpConnection connection, string path, string remotePath, string tempPath)
        : base(owner.Name, path)
    {
        _owner = owner;
        _connection = connection;
        _path = path;
        _remotePath = remotePath;
        TempPath = tempPath;
        Start();
    }

    /// <summary>The remote temp file (for tests and logs).</summary>
    internal string TempPath { get; }

    /// <summary>The temp file's name until it is renamed into place or deleted.</summary>
    public string? PendingToken => _settled ? null : TempPath[(TempPath.LastIndexOf('/') + 1)..];

    protected override async Task UploadAsync(Stream input, CancellationToken cancellationToken)
    {
        var window = new UploadWindow(_owner.TimeProvider, _connection.UploadWindowBytes);
        await _connection.Client.UploadFileAsync(window.Wrap(input), TempPath, canOverride: false, window, cancellationToken).ConfigureAwait(false);
        _connection.UploadWindowBytes = window.Bytes;
    }

    protected override async ValueTask PublishAsync(CancellationToken cancellationToken)
    {
        _reusable = await _owner.PublishAsync(_connection, TempPath, _remotePath, _path, cancellationToken).ConfigureAwait(false);
        _settled = true;
        _owner.LogCommitted(_path, BytesWritten, TempPath);
    }

    protected override async ValueTask AbortAsync() => _settled = await _owner.DeleteTempAsync(_connection, TempPath, _path).ConfigureAwait(false);

    protected override ValueTask ReleaseAsync()
    {
        // Only a file published at the first attempt leaves its connection clean: an abandoned upload or a retried
        // rename may still have requests in flight.
        _owner.Release(_connection, _reusable);
        return ValueTask.CompletedTask;
    }

    protected override Exception? MapUploadError(Exception exception) => _owner.Map(exception, "upload", _path);
}
