using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Renci.SshNet.Common;

namespace Exports.Sdk.Destinations.Sftp;

/// <summary>
/// A folder on an SFTP server as a destination. Each file is uploaded to a hidden temp name in its folder and renamed
/// into place on commit; connecting and single requests (rename, list, delete) have timeouts and are retried on
/// transient failures. A file upload itself is not retried: it fails the file, and the run's retry writes it again.
/// Connections that ended their work cleanly are kept a short while for the next operation (<see cref="SftpConnectionPool"/>).
/// </summary>
internal sealed class SftpDestination : IDestination, IDestinationMove, IPendingWriteCleanup, IDisposable
{
    /// <summary>Temp files are hidden and never end with the real extension, so pickup patterns such as <c>*.csv</c> skip them.</summary>
    internal const string TempPrefix = ".exports-tmp-";
    private const string ProbePrefix = ".exports-probe-";

    private readonly SftpDestinationOptions _options;
    private readonly SftpConnector _connector;
    private readonly SftpConnectionPool _pool;
    private readonly SftpResilience _resilience;
    private readonly ILogger _logger;
    private readonly string _root;

    // Learned on first use: servers other than OpenSSH (e.g. ProFTPD's mod_sftp) may lack posix-rename@openssh.com.
    private volatile bool _noPosixRename;

    public SftpDestination(string name, SftpDestinationOptions options, TimeProvider timeProvider, ILogger logger)
    {
        Name = name;
        TimeProvider = timeProvider;
        _options = options;
        _logger = logger;
        _root = options.RemotePath.Length > 1 ? options.RemotePath.TrimEnd('/') : options.RemotePath;
        _connector = new SftpConnector(name, options, logger);
        _pool = new SftpConnectionPool(_connector, timeProvider);
        _resilience = new SftpResilience(name, options, timeProvider, logger);
    }

    public string Name { get; }

    /// <summary>The clock the destination's writers time their uploads with.</summary>
    internal TimeProvider TimeProvider { get; }

    /// <summary>The remote path of a path relative to the destination's root.</summary>
    internal string RemotePathOf(string path) => _root switch
    {
        "" or "." => path,
        "/" => "/" + path,
        _ => _root + "/" + path,
    };

    public async ValueTask<IDestinationWriter> OpenWriteAsync(string path, CancellationToken cancellationToken = default)
    {
        DestinationPath.Validate(path, Name);
        var remotePath = RemotePathOf(path);
        var slash = remotePath.LastIndexOf('/');
        var folder = slash < 0 ? "" : remotePath[..slash];
        var fileName = remotePath[(slash + 1)..];
        var tempName = TempNameOf(fileName);
        var tempPath = (slash < 0 ? "" : folder + "/") + tempName + Guid.NewGuid().ToString("N")[..12];

        var connection = await _resilience.ExecuteAsync("open", path, async ct =>
        {
            var opened = await _pool.RentAsync(ct).ConfigureAwait(false);
            try
            {
                await EnsureRootAsync(opened, ct).ConfigureAwait(false);
                await EnsureFoldersAsync(opened, path, ct).ConfigureAwait(false);
                await RemoveStaleTempFilesAsync(opened, folder, tempName, path, ct).ConfigureAwait(false);
                return opened;
            }
            catch
            {
                _pool.Discard(opened);
                throw;
            }
        }, cancellationToken).ConfigureAwait(false);
        return new SftpFileWriter(this, connection, path, remotePath, tempPath);
    }

    public async IAsyncEnumerable<DestinationFile> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        prefix ??= "";
        var start = prefix.LastIndexOf('/') is var i and >= 0 ? prefix[..i] : "";
        var files = await _resilience.ExecuteAsync("list", prefix, ct => _pool.UseAsync(async connection =>
        {
            await EnsureRootAsync(connection, ct).ConfigureAwait(false);
            var found = new List<DestinationFile>();
            await CollectAsync(connection, start, prefix, found, ct).ConfigureAwait(false);
            return found;
        }, ct), cancellationToken).ConfigureAwait(false);
        foreach (var file in files.OrderBy(f => f.Path, StringComparer.Ordinal))
        {
            yield return file;
        }
    }

    public async ValueTask DeleteAsync(string path, CancellationToken cancellationToken = default)
    {
        DestinationPath.Validate(path, Name);
        await _resilience.ExecuteAsync("delete", path, ct => _pool.UseAsync(async connection =>
        {
            try
            {
                await connection.Client.DeleteFileAsync(RemotePathOf(path), ct).ConfigureAwait(false);
            }
            catch (SftpPathNotFoundException)
            {
                // Already gone.
            }

            return true;
        }, ct), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A rename over the target (atomic with posix-rename@openssh.com; see <see cref="RenameOverAsync"/>).</summary>
    public async ValueTask MoveAsync(string sourcePath, string targetPath, CancellationToken cancellationToken = default)
    {
        DestinationPath.Validate(sourcePath, Name);
        DestinationPath.Validate(targetPath, Name);
        // Errors name the file being renamed: a missing source would otherwise read as a missing target.
        await _resilience.ExecuteAsync("rename", sourcePath, ct => _pool.UseAsync(async connection =>
        {
            await EnsureFoldersAsync(connection, targetPath, ct).ConfigureAwait(false);
            await RenameOverAsync(connection, RemotePathOf(sourcePath), RemotePathOf(targetPath), ct).ConfigureAwait(false);
            return true;
        }, ct), cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<ConnectionTestResult> TestConnectionAsync(CancellationToken cancellationToken = default)
    {
        // Least privilege: connecting proves the host key and credentials; a probe file proves write, renaming it proves
        // rename (the atomic publish), deleting it proves delete (temp clean-up and roll-back). Nothing is left behind.
        var where = $"Destination '{Name}' ({_options.Host}:{_options.Port}, folder '{(_root.Length == 0 ? "login folder" : _root)}')";
        SftpConnection? connection = null;
        var probe = RemotePathOf(ProbePrefix + Guid.NewGuid().ToString("N"));
        var renamed = probe + "-renamed";
        var step = "write";
        try
        {
            // A new connection, never a kept one: the test is that connecting works.
            connection = await _resilience.ExecuteAsync("connect", "", async ct =>
            {
                var opened = await _connector.ConnectAsync(ct).ConfigureAwait(false);
                try
                {
                    await EnsureRootAsync(opened, ct).ConfigureAwait(false);
                    return opened;
                }
                catch
                {
                    opened.Dispose();
                    throw;
                }
            }, cancellationToken).ConfigureAwait(false);
            // Each step through the pipeline: SSH.NET's async requests do not honour its OperationTimeout
            // (sshnet/SSH.NET#1497), so a request whose answer never comes would hold the test for ever. The probe's name
            // is unique, so a retried write may replace what a timed-out attempt left.
            Task Step(string operation, string path, Func<CancellationToken, Task> request) =>
                _resilience.ExecuteAsync(operation, path, async ct =>
                {
                    await request(ct).ConfigureAwait(false);
                    return true;
                }, cancellationToken).AsTask();

            await Step("write", probe, ct => connection.Client.UploadFileAsync(new MemoryStream([]), probe, canOverride: true, uploadProgress: null, ct)).ConfigureAwait(false);
            step = "rename";
            await Step("rename", probe, ct => RenameOverAsync(connection, probe, renamed, ct)).ConfigureAwait(false);
            step = "delete";
            await Step("delete", renamed, ct => connection.Client.DeleteFileAsync(renamed, ct)).ConfigureAwait(false);
            // Listing is not needed to export: a write-only drop folder passes, and the missing right is named.
            var canList = await CanListAsync(connection, cancellationToken).ConfigureAwait(false);
            var listing = canList
                ? " and listed the folder"
                : "; listing the folder is not permitted (a write-only folder): exports work, but fixed file names (which replace a set) and listing exports do not";
            return ConnectionTestResult.Success($"{where}: connected (host key verified), wrote, renamed and deleted a probe file{listing}.") with { MissingPermission = canList ? null : "list" };
        }
        catch (DestinationException ex) when (ex.InnerException is SftpPermissionDeniedException)
        {
            var leftover = step == "write" ? "" : $" The probe file '{(step == "rename" ? probe : renamed)}' could not be removed.";
            return ConnectionTestResult.Failure($"{where}: permission to {step} files in the folder is missing.{leftover}", step);
        }
        catch (DestinationException ex)
        {
            return ConnectionTestResult.Failure(ex.Message);
        }
        finally
        {
            connection?.Dispose();
        }
    }

    private async Task<bool> CanListAsync(SftpConnection connection, CancellationToken cancellationToken)
    {
        var folder = _root.Length == 0 ? "." : _root;
        try
        {
            // Through the pipeline like the other steps: its timeout and retries, and its errors named.
            return await _resilience.ExecuteAsync("list", folder, async ct =>
            {
                var entries = connection.Client.ListDirectoryAsync(folder, ct).GetAsyncEnumerator(ct);
                await using (entries.ConfigureAwait(false))
                {
                    await entries.MoveNextAsync().ConfigureAwait(false);
                }

                return true;
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (DestinationException ex) when (ex.InnerException is SftpPermissionDeniedException)
        {
            return false;
        }
    }

    /// <summary>
    /// Renames a fully uploaded temp file over the final name (atomic, replacing), reconnecting once if needed.
    /// </summary>
    /// <returns>Whether every attempt on <paramref name="connection"/> succeeded, so it may be kept for reuse.</returns>
    internal async ValueTask<bool> PublishAsync(SftpConnection connection, string tempPath, string remotePath, string path, CancellationToken cancellationToken)
    {
        var first = true;
        var clean = true;
        await _resilience.ExecuteAsync("rename", path, async ct =>
        {
            if (first || connection.Client.IsConnected)
            {
                first = false;
                try
                {
                    await RenameOverAsync(connection, tempPath, remotePath, ct).ConfigureAwait(false);
                }
                catch
                {
                    // A timed-out request may still be answered on this connection.
                    clean = false;
                    throw;
                }
            }
            else
            {
                await _pool.UseAsync(async fresh =>
                {
                    await RenameOverAsync(fresh, tempPath, remotePath, ct).ConfigureAwait(false);
                    return true;
                }, ct).ConfigureAwait(false);
            }

            return true;
        }, cancellationToken).ConfigureAwait(false);
        return clean;
    }

    /// <summary>
    /// Renames a file over another. With posix-rename@openssh.com it is one atomic step that replaces the target.
    /// Without it (the server does not offer the extension), a standard rename; a server that refuses to rename onto an
    /// existing file gets the old one removed first, so the final name is briefly absent but never holds a partial file.
    /// </summary>
    private async Task RenameOverAsync(SftpConnection connection, string from, string to, CancellationToken cancellationToken)
    {
        if (!_noPosixRename)
        {
            try
            {
                // SSH.NET offers posix-rename only synchronously; it is one round trip, bounded by the operation timeout.
                await Task.Run(() => connection.Client.RenameFile(from, to, isPosix: true), cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (NotSupportedException)
            {
                _noPosixRename = true;
                SftpLog.PosixRenameUnsupported(_logger, Name, _options.Host, _options.Port);
            }
        }

        try
        {
            await connection.Client.RenameFileAsync(from, to, cancellationToken).ConfigureAwait(false);
            return;
        }
        catch (SftpException ex) when (ex is not SftpPathNotFoundException and not SftpPermissionDeniedException)
        {
            // Only "the target exists" is worked around: the new file must be there (a retried rename that already
            // happened finds it gone) and the old one too; anything else is the error it is.
            if (!await ExistsAsync(connection, from, cancellationToken).ConfigureAwait(false)
                || !await ExistsAsync(connection, to, cancellationToken).ConfigureAwait(false))
            {
                throw;
            }
        }

        // Not cancellable once the old file is gone: the name must not stay empty.
        await connection.Client.DeleteFileAsync(to, CancellationToken.None).ConfigureAwait(false);
        await connection.Client.RenameFileAsync(from, to, CancellationToken.None).ConfigureAwait(false);
    }

    private static async Task<bool> ExistsAsync(SftpConnection connection, string path, CancellationToken cancellationToken)
    {
        try
        {
            return await connection.Client.ExistsAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (SftpException)
        {
            return false;
        }
    }

    /// <summary>Deletes the temp file a failed or dead run left beside <paramref name="path"/> (the token is its name).</summary>
    public async ValueTask RemovePendingWriteAsync(string path, string pendingToken, CancellationToken cancellationToken = default)
    {
        DestinationPath.Validate(path, Name);
        // Only a temp file of this destination, in the path's own folder, ever.
        if (!pendingToken.StartsWith(TempPrefix, StringComparison.Ordinal) || pendingToken.Contains('/', StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{pendingToken}' is not a temp file of destination '{Name}'.", nameof(pendingToken));
        }

        var remotePath = RemotePathOf(path);
        var slash = remotePath.LastIndexOf('/');
        var tempPath = (slash < 0 ? "" : remotePath[..(slash + 1)]) + pendingToken;
        await _resilience.ExecuteAsync("delete temp", path, ct => _pool.UseAsync(async connection =>
        {
            try
            {
                await connection.Client.DeleteFileAsync(tempPath, ct).ConfigureAwait(false);
            }
            catch (SftpPathNotFoundException)
            {
                // Already gone.
            }

            return true;
        }, ct), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Deletes an abandoned temp file (best effort: false when it could not, and the run keeps it on record).</summary>
    internal async ValueTask<bool> DeleteTempAsync(SftpConnection connection, string tempPath, string path)
    {
        try
        {
            // Not cancellable: clean-up must run even when the export was cancelled; timeouts bound it.
            await _resilience.ExecuteAsync("delete temp", path, async ct =>
            {
                try
                {
                    if (connection.Client.IsConnected)
                    {
                        await connection.Client.DeleteFileAsync(tempPath, ct).ConfigureAwait(false);
                    }
                    else
                    {
                        await _pool.UseAsync(async fresh =>
                        {
                            await fresh.Client.DeleteFileAsync(tempPath, ct).ConfigureAwait(false);
                            return true;
                        }, ct).ConfigureAwait(false);
                    }
                }
                catch (SftpPathNotFoundException)
                {
                    // Never created: nothing to clean.
                }

                return true;
            }, CancellationToken.None).ConfigureAwait(false);
            SftpLog.Aborted(_logger, Name, path, tempPath);
            return true;
        }
        catch (DestinationException ex)
        {
            SftpLog.TempCleanupFailed(_logger, ex, Name, tempPath, path);
            return false;
        }
    }

    /// <summary>Closes the idle connections and frees the loaded private key.</summary>
    public void Dispose()
    {
        _pool.Dispose();
        _connector.Dispose();
    }

    /// <summary>Idle connections kept for the next operation (for tests).</summary>
    internal int IdleConnections => _pool.IdleCount;

    /// <summary>Takes back a writer's connection: kept for the next operation when it is clean, else closed.</summary>
    internal void Release(SftpConnection connection, bool reusable)
    {
        if (reusable)
        {
            _pool.Return(connection);
        }
        else
        {
            connection.Dispose();
        }
    }

    internal DestinationException? Map(Exception exception, string operation, string path) =>
        SftpErrorMapper.Map(exception, _options, Name, operation, path, CancellationToken.None);

    internal void LogCommitted(string path, long bytes, string tempPath) => SftpLog.Committed(_logger, Name, path, bytes, tempPath);

    /// <summary>The temp-name stem of a file: a hash of its name, so leftovers of the same file can be found again.</summary>
    private static string TempNameOf(string fileName) =>
        TempPrefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(fileName)).AsSpan(0, 8)) + "-";

    private async Task EnsureRootAsync(SftpConnection connection, CancellationToken cancellationToken)
    {
        if (_root is "" or "." or "/")
        {
            return;
        }

        try
        {
            var attributes = await connection.Client.GetAttributesAsync(_root, cancellationToken).ConfigureAwait(false);
            if (!attributes.IsDirectory)
            {
                throw new DestinationException($"Destination '{Name}': the remote folder '{_root}' (setting 'remotePath') is a file on {_options.Host}:{_options.Port}.", isTransient: false);
            }
        }
        catch (SftpPathNotFoundException ex)
        {
            throw new DestinationException($"Destination '{Name}': the remote folder '{_root}' (setting 'remotePath') does not exist on {_options.Host}:{_options.Port}.", isTransient: false, ex);
        }
    }

    private async Task EnsureFoldersAsync(SftpConnection connection, string path, CancellationToken cancellationToken)
    {
        var segments = path.Split('/');
        var current = "";
        for (var i = 0; i < segments.Length - 1; i++)
        {
            current = current.Length == 0 ? segments[i] : current + "/" + segments[i];
            var remote = RemotePathOf(current);
            if (await connection.Client.ExistsAsync(remote, cancellationToken).ConfigureAwait(false))
            {
                continue;
            }

            try
            {
                await connection.Client.CreateDirectoryAsync(remote, cancellationToken).ConfigureAwait(false);
            }
            catch (SftpException)
            {
                // Another upload may have created it meanwhile; anything else is a real failure.
                if (!await connection.Client.ExistsAsync(remote, cancellationToken).ConfigureAwait(false))
                {
                    throw;
                }
            }
        }
    }

    private async Task RemoveStaleTempFilesAsync(SftpConnection connection, string folder, string tempName, string path, CancellationToken cancellationToken)
    {
        // A temp file of this name from an earlier attempt that could not clean up (e.g. the server went away).
        try
        {
            await foreach (var entry in connection.Client.ListDirectoryAsync(folder.Length == 0 ? "." : folder, cancellationToken).ConfigureAwait(false))
            {
                if (entry.IsRegularFile && entry.Name.StartsWith(tempName, StringComparison.Ordinal))
                {
                    await connection.Client.DeleteFileAsync(entry.FullName, cancellationToken).ConfigureAwait(false);
                    SftpLog.StaleTempRemoved(_logger, Name, entry.FullName, path);
                }
            }
        }
        catch (SftpPermissionDeniedException)
        {
            // A write-only drop folder (no read on the directory): nothing can be listed, and the run records its
            // temp files (leftoverWrites), so this sweep is not needed.
        }
    }

    private async Task CollectAsync(SftpConnection connection, string folder, string prefix, List<DestinationFile> found, CancellationToken cancellationToken)
    {
        var remote = folder.Length == 0 ? (_root.Length == 0 ? "." : _root) : RemotePathOf(folder);
        var entries = new List<(string Name, bool IsDirectory, long Size)>();
        try
        {
            await foreach (var entry in connection.Client.ListDirectoryAsync(remote, cancellationToken).ConfigureAwait(false))
            {
                entries.Add((entry.Name, entry.IsDirectory, entry.Length));
            }
        }
        catch (SftpPathNotFoundException) when (folder.Length > 0)
        {
            return;
        }

        foreach (var (name, isDirectory, size) in entries)
        {
            if (name is "." or ".." || name.StartsWith(TempPrefix, StringComparison.Ordinal) || name.StartsWith(ProbePrefix, StringComparison.Ordinal))
            {
                continue;
            }

            var relative = folder.Length == 0 ? name : folder + "/" + name;
            if (isDirectory)
            {
                // Descend only where the prefix can still match.
                if (relative.StartsWith(prefix, StringComparison.Ordinal) || prefix.StartsWith(relative + "/", StringComparison.Ordinal))
                {
                    await CollectAsync(connection, relative, prefix, found, cancellationToken).ConfigureAwait(false);
                }
            }
            else if (relative.StartsWith(prefix, StringComparison.Ordinal) && DestinationPath.Check(relative) is null)
            {
                found.Add(new DestinationFile(relative, size));
            }
        }
    }
}
