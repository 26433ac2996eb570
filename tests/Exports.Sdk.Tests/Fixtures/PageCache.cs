using System.Runtime.InteropServices;

namespace Exports.Sdk.Tests.Fixtures;

/// <summary>
/// What the kernel's page cache holds of a file, by <c>cachestat(2)</c> (Linux 6.5+): pages cached, pages written to but
/// not yet to the disk (dirty), and pages on their way there. A file flushed to the disk has neither of the last two.
/// </summary>
internal static class PageCache
{
    // One number on every architecture: syscalls added since 5.x share their numbers.
    private const long CachestatSyscall = 451;

    public static CacheState Of(string path)
    {
        // open(2) itself: .NET's own open takes an advisory lock, which a temp file still being written refuses.
        var fd = Open(System.Text.Encoding.UTF8.GetBytes(path + "\0"), 0x80000 /* O_RDONLY | O_CLOEXEC */);
        if (fd < 0)
        {
            throw new IOException($"cannot open '{path}' ({Marshal.GetLastPInvokeErrorMessage()}).");
        }

        try
        {
            var range = new CachestatRange(0, 0); // length 0: to the end of the file
            if (Syscall(CachestatSyscall, fd, ref range, out var state, 0) != 0)
            {
                throw new InvalidOperationException($"cachestat(2) failed for '{path}' ({Marshal.GetLastPInvokeErrorMessage()}); these tests need Linux 6.5 or later.");
            }

            return new CacheState(state.Cache, state.Dirty, state.Writeback);
        }
        finally
        {
            _ = Close(fd);
        }
    }

    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Open(byte[] nulTerminatedPath, int flags);

    [DllImport("libc", EntryPoint = "close")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Close(int fd);

    [DllImport("libc", EntryPoint = "syscall", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern long Syscall(long number, int fd, ref CachestatRange range, out Cachestat state, uint flags);

    [StructLayout(LayoutKind.Sequential)]
    private readonly record struct CachestatRange(ulong Offset, ulong Length);

    [StructLayout(LayoutKind.Sequential)]
    private readonly record struct Cachestat(ulong Cache, ulong Dirty, ulong Writeback, ulong Evicted, ulong RecentlyEvicted);
}
