namespace Exports.Sdk.Tests.Fixtures;

/// <summary>A file's pages in the page cache: cached, dirty (not yet written to the disk) and under writeback.</summary>
internal readonly record struct CacheState(ulong Cached, ulong Dirty, ulong Writeback)
{
    /// <summary>Pages the disk does not have yet.</summary>
    public ulong NotOnDisk => Dirty + Writeback;
}
