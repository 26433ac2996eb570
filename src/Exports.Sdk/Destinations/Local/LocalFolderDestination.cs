using System.Runtime.CompilerServices;
using Microsoft.Win32.SafeHandles;

namespace Exports.Sdk;

/// <summary>
/// Writes into a local folder. A file is written as a hidden temp file beside its final name and renamed on commit,
/// so readers never see a partial file; paths can never leave the root. By default the file is flushed to the disk
/// before the rename and its folder after it, so a file a run counts as delivered survives a power cut.
/// </summary>
public sealed class LocalFolderDestination : IDestination, IAbandonedWriteCleanup, IDestinationMove, IPendingWriteCleanup
{
    internal const string TempPrefix = ".exports-tmp-";

    private readonly string _root;
    private readonly bool _flushToDisk;

    /// <summary>Creates the destination, flushing each file and its folder to the disk on commit.</summary>
    /// <param name="name">The destination name.</param>
    /// <param name="rootPath">The root folder; created when missing.</param>
    public LocalFolderDestination(string name, string rootPath)
        : this(name, rootPath, flushToDisk: true)
    {
    }

    /// <summary>Creates the destination.</summary>
    /// <param name="name">The destination name.</param>
    /// <param name="rootPath">The root folder; created when missing.</param>
    /// <param name="flushToDisk">
    /// Whether a commit flushes the file to the disk before renaming it into place, and its folder after
    /// (<see cref="LocalFolderDestinationOptions.FlushToDisk"/>).
    /// </param>
    public LocalFolderDestination(string name, string rootPath, bool flushToDisk)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentException.ThrowIfNullOrEmpty(rootPath);
        Name = name;
        _root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(rootPath));
        _flushToDisk = flushToDisk;
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <summary>The full path of the root folder.</summary>
    public string RootPath => _root;

    /// <summary>Bytes between the flushes of a file while it grows, when the destination flushes (0: at the commit only).</summary>
    internal long FlushEvery { get; init; } = LocalFileStream.DefaultFlushEvery;

    /// <summary>How a file is flushed while it grows (tests make it fail); by default <see cref="RandomAccess.FlushToDisk"/>.</summary>
    internal Action<SafeFileHandle>? FlushWhileGrowing { get; init; }

    /// <summary>Deletes the hidden temp files under the root that were last written before <paramref name="untouchedSince"/>.</summary>
    /// <param name="untouchedSince">Temp files written to after this instant are kept.</param>
    /// <param name="cancellationToken">Cancels the cleanup.</param>
    /// <returns>How many temp files were deleted.</returns>
    public ValueTask<int> RemoveAbandonedWritesAsync(DateTimeOffset untouchedSince, CancellationToken cancellationToken = default)
    {
        var removed = 0;
        if (!Directory.Exists(_root))
        {
            return ValueTask.FromResult(removed);
        }

        foreach (var file in Directory.EnumerateFiles(_root, TempPrefix + "*", SearchOption.AllDirectories))
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                if (File.GetLastWriteTimeUtc(file) < untouchedSince.UtcDateTime)
                {
                    File.Delete(file);
                    removed++;
                }
            }
            catch (IOException)
            {
                // Gone meanwhile, or still open by a writer: left for the next cleanup.
            }
        }

        return ValueTask.FromResult(removed);
    }

    /// <inheritdoc />
    public ValueTask<IDestinationWriter> OpenWriteAsync(string path, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var fullPath = Resolve(path);
        var directory = Path.GetDirectoryName(fullPath)!;
        try
        {
            Directory.CreateDirectory(directory);
            var tempPath = Path.Combine(directory, TempPrefix + Guid.NewGuid().ToString("N"));
            var stream = new LocalFileStream(() => CreateTemp(tempPath, path), _flushToDisk ? FlushEvery : 0, FlushWhileGrowing);
            return ValueTask.FromResult<IDestinationWriter>(new Writer(this, stream, tempPath, fullPath));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new DestinationException($"Destination '{Name}': cannot create '{path}': {ex.Message}", isTransient: false, ex);
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<DestinationFile> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (!Directory.Exists(_root))
        {
            yield break;
        }

        await Task.CompletedTask.ConfigureAwait(false);
        var files = Directory.EnumerateFiles(_root, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 })
            .Select(f => (Full: f, Relative: Path.GetRelativePath(_root, f).Replace(Path.DirectorySeparatorChar, '/')))
            .Where(f => !Path.GetFileName(f.Full).StartsWith(TempPrefix, StringComparison.Ordinal))
            .Where(f => f.Relative.StartsWith(prefix ?? "", StringComparison.Ordinal))
            .OrderBy(f => f.Relative, StringComparer.Ordinal);
        foreach (var (full, relative) in files)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return new DestinationFile(relative, new FileInfo(full).Length);
        }
    }

    /// <inheritdoc />
    public ValueTask DeleteAsync(string path, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var fullPath = Resolve(path);
        try
        {
            File.Delete(fullPath);
        }
        catch (DirectoryNotFoundException)
        {
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new DestinationException($"Destination '{Name}': cannot delete '{path}': {ex.Message}", isTransient: false, ex);
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public async ValueTask<ConnectionTestResult> TestConnectionAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            Directory.CreateDirectory(_root);
            var probe = Path.Combine(_root, TempPrefix + "probe-" + Guid.NewGuid().ToString("N"));
            await File.WriteAllBytesAsync(probe, [], cancellationToken).ConfigureAwait(false);
            File.Delete(probe);
            using (var folder = OpenFolderToFlush(probe))
            {
                folder?.Flush();
            }

            return ConnectionTestResult.Success(_flushToDisk
                ? $"Destination '{Name}': the folder '{_root}' is writable and can be flushed to the disk."
                : $"Destination '{Name}': the folder '{_root}' is writable.");
        }
        catch (UnauthorizedAccessException)
        {
            return ConnectionTestResult.Failure($"Destination '{Name}': no permission to write into '{_root}'.", "write");
        }
        catch (IOException ex)
        {
            return ConnectionTestResult.Failure($"Destination '{Name}': cannot write into '{_root}': {ex.Message}");
        }
    }

    /// <inheritdoc />
    /// <remarks>
    /// A rename, which replaces the target in one step; the target's folder is then flushed to the disk, when the
    /// destination flushes.
    /// </remarks>
    public ValueTask MoveAsync(string sourcePath, string targetPath, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var source = Resolve(sourcePath);
        var target = Resolve(targetPath);
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            using var folder = OpenFolderToFlush(target);
            File.Move(source, target, overwrite: true);
            folder?.Flush();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new DestinationException($"Destination '{Name}': cannot move '{sourcePath}' to '{targetPath}': {ex.Message}", isTransient: false, ex);
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    /// <remarks>Deletes the temp file the token names, beside <paramref name="path"/>.</remarks>
    public ValueTask RemovePendingWriteAsync(string path, string pendingToken, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(pendingToken);
        cancellationToken.ThrowIfCancellationRequested();
        // Only a temp file of this destination, in the path's own folder, ever.
        if (!pendingToken.StartsWith(TempPrefix, StringComparison.Ordinal) || pendingToken.IndexOfAny(['/', '\\']) >= 0)
        {
            throw new ArgumentException($"'{pendingToken}' is not a temp file of destination '{Name}'.", nameof(pendingToken));
        }

        try
        {
            File.Delete(Path.Combine(Path.GetDirectoryName(Resolve(path))!, pendingToken));
        }
        catch (DirectoryNotFoundException)
        {
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new DestinationException($"Destination '{Name}': cannot delete the temp file of '{path}': {ex.Message}", isTransient: false, ex);
        }

        return ValueTask.CompletedTask;
    }

    private SafeFileHandle CreateTemp(string tempPath, string path)
    {
        try
        {
            return File.OpenHandle(tempPath, FileMode.CreateNew, FileAccess.Write, FileShare.None);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new DestinationException($"Destination '{Name}': cannot create '{path}': {ex.Message}", isTransient: false, ex);
        }
    }

    /// <summary>Opens <paramref name="path"/>'s folder to flush a rename into it, when the destination flushes.</summary>
    private DiskFlush? OpenFolderToFlush(string path) => _flushToDisk ? DiskFlush.OpenFolder(Path.GetDirectoryName(path)!) : null;

    /// <summary>Maps a relative path into the root, refusing anything that would leave it.</summary>
    internal string Resolve(string path)
    {
        DestinationPath.Validate(path, Name);
        var fullPath = Path.GetFullPath(Path.Combine(_root, path));
        if (!fullPath.StartsWith(_root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new ExportValidationException($"Destination '{Name}': the path '{path}' leaves the root folder.");
        }

        return fullPath;
    }

    private sealed class Writer(LocalFolderDestination owner, LocalFileStream stream, string tempPath, string finalPath) : IDestinationWriter, IPendingWrite
    {
        private bool _committed;
        private bool _disposed;
        private bool _tempDeleted;

        public Stream Stream => stream;

        public string? PendingToken => _committed || _tempDeleted ? null : Path.GetFileName(tempPath);

        public async ValueTask CommitAsync(CancellationToken cancellationToken = default)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                var handle = stream.EnsureCreated();
                if (owner._flushToDisk)
                {
                    // The data first: a rename that reaches the disk before the data would publish an empty file.
                    // Flushes while the file grew did most of it; a failed one fails the commit.
                    await stream.WaitForFlushAsync(cancellationToken).ConfigureAwait(false);
                    RandomAccess.FlushToDisk(handle);
                }

                await stream.DisposeAsync().ConfigureAwait(false);
                // Opened before the rename: a folder that cannot be flushed fails the commit while nothing is visible.
                using var folder = owner.OpenFolderToFlush(finalPath);
                // Rename within one directory is atomic and replaces the previous file of that name.
                File.Move(tempPath, finalPath, overwrite: true);
                _committed = true;
                FlushOrTakeBack(folder);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new DestinationException($"Destination '{owner.Name}': cannot publish '{Path.GetFileName(finalPath)}': {ex.Message}", isTransient: false, ex);
            }
        }

        /// <summary>Flushes the rename; a file whose rename may not survive is removed again, as the commit failed.</summary>
        private void FlushOrTakeBack(DiskFlush? folder)
        {
            try
            {
                folder?.Flush();
            }
            catch (IOException ex)
            {
                var removed = "and was removed again";
                try
                {
                    File.Delete(finalPath);
                }
                catch (Exception deleteError) when (deleteError is IOException or UnauthorizedAccessException)
                {
                    removed = $"and could not be removed ({deleteError.Message})";
                }

                throw new DestinationException($"Destination '{owner.Name}': '{Path.GetFileName(finalPath)}' was renamed into place {removed}: {ex.Message}", isTransient: false, ex);
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            await stream.DisposeAsync().ConfigureAwait(false);
            if (!_committed)
            {
                try
                {
                    File.Delete(tempPath);
                    _tempDeleted = true;
                }
                catch (IOException)
                {
                    // Best effort: a temp file never looks like an export (hidden prefix, skipped by listing).
                }
            }
        }
    }
}
