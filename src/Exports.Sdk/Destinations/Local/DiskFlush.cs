using System.Runtime.InteropServices;
using System.Text;

namespace Exports.Sdk;

/// <summary>
/// What getting a file to the disk needs beyond <see cref="RandomAccess.FlushToDisk"/>: flushing its folder's entries
/// (POSIX <c>fsync</c> on the folder), so a rename survives a power cut as the renamed file's data does. .NET opens no
/// handle on a folder, hence the libc calls. The folder is opened before the rename and flushed after it, so a folder
/// that cannot be opened fails the commit while nothing is visible yet.
/// </summary>
internal sealed class DiskFlush : IDisposable
{
    private const int Interrupted = 4; // EINTR, on Linux and macOS alike
    private const int InvalidArgument = 22; // EINVAL
    private const int FullSync = 51; // F_FULLFSYNC (macOS): fsync there leaves the data in the drive's cache

    private readonly string _folder;
    private int _fd;

    private DiskFlush(string folder, int fd)
    {
        _folder = folder;
        _fd = fd;
    }

    /// <summary>Opens <paramref name="folder"/> to flush it later; null on Windows, which cannot flush a folder.</summary>
    /// <exception cref="IOException">The folder cannot be opened (e.g. it is write-only).</exception>
    public static DiskFlush? OpenFolder(string folder)
    {
        if (OperatingSystem.IsWindows())
        {
            return null;
        }

        var path = Encoding.UTF8.GetBytes(folder + '\0');
        var flags = OperatingSystem.IsMacOS() ? 0x1000000 : 0x80000; // O_RDONLY | O_CLOEXEC
        int fd;
        do
        {
            fd = Open(path, flags);
        }
        while (fd < 0 && Marshal.GetLastPInvokeError() == Interrupted);

        return fd >= 0 ? new DiskFlush(folder, fd)
            : throw new IOException($"cannot open the folder '{folder}' to flush it to the disk ({Marshal.GetLastPInvokeErrorMessage()}); a folder that cannot be read needs the setting 'flushToDisk' set to false.");
    }

    /// <summary>Flushes the folder's entries to the disk.</summary>
    /// <exception cref="IOException">The flush failed.</exception>
    public void Flush()
    {
        ObjectDisposedException.ThrowIf(_fd < 0, this);
        if (OperatingSystem.IsMacOS() && FileControl(_fd, FullSync) == 0)
        {
            return;
        }

        int result;
        do
        {
            result = Sync(_fd);
        }
        while (result != 0 && Marshal.GetLastPInvokeError() == Interrupted);

        // EINVAL or "not supported": a file system that cannot flush a folder (some network and FUSE mounts).
        var error = result == 0 ? 0 : Marshal.GetLastPInvokeError();
        if (error != 0 && error != InvalidArgument && !IsNotSupported(error))
        {
            throw new IOException($"cannot flush the folder '{_folder}' to the disk ({Marshal.GetLastPInvokeErrorMessage()}).");
        }
    }

    /// <summary>Closes the folder.</summary>
    public void Dispose()
    {
        if (_fd >= 0)
        {
            _ = Close(_fd);
            _fd = -1;
        }
    }

    private static bool IsNotSupported(int error) => OperatingSystem.IsMacOS() ? error is 45 or 102 : error == 95;

    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Open(byte[] nullTerminatedPath, int flags);

    [DllImport("libc", EntryPoint = "fsync", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Sync(int fd);

    [DllImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int FileControl(int fd, int command);

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Close(int fd);
}
