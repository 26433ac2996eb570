using System.Runtime.InteropServices;
using System.Text;

namespace Exports.Sdk;

/// <summary>
/// What getting a file to the disk needs beyond <see cref="RandomAccess.FlushToDisk"/>: flushing its folder's entries
/// (POSIX <c>fsync</c> on the folder), so a rename survives a power cut as the renamed file's data does. .NET opens no
/// handle on a folder, hence the three libc calls.
/// </summary>
internal static class DiskFlush
{
    private const int ReadOnly = 0;
    private const int InvalidArgument = 22;

    /// <summary>Flushes <paramref name="folder"/>'s entries; not on Windows, which cannot flush a folder (only the file's data is flushed there).</summary>
    /// <exception cref="IOException">The folder cannot be opened or flushed.</exception>
    public static void Folder(string folder)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var fd = Open(Encoding.UTF8.GetBytes(folder + '\0'), ReadOnly);
        if (fd < 0)
        {
            throw new IOException($"cannot open the folder to flush it: {Marshal.GetLastPInvokeErrorMessage()}");
        }

        try
        {
            // EINVAL: a file system that cannot flush a folder (some network and FUSE mounts); its entries are its own.
            if (Sync(fd) != 0 && Marshal.GetLastPInvokeError() != InvalidArgument)
            {
                throw new IOException($"cannot flush the folder to the disk: {Marshal.GetLastPInvokeErrorMessage()}");
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }

    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Open(byte[] nullTerminatedPath, int flags);

    [DllImport("libc", EntryPoint = "fsync", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Sync(int fd);

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Close(int fd);
}
