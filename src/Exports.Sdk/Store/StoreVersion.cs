namespace Exports.Sdk;

/// <summary>
/// What a backend can tell of a record without reading it, and which changes whenever the record is written (a file's
/// modification time and length; a counter in memory): what was read of the record at one version holds while it does.
/// </summary>
/// <param name="Stamp">The modification time's ticks, or the write's number.</param>
/// <param name="Length">The record's length in bytes.</param>
/// <param name="Settled">
/// Whether no later write can give the same version. A file system's clock moves in steps (a few milliseconds, or a
/// second on some), so two writes of one length within a step look alike: a file written in the last few seconds is not
/// settled yet, and what was read of it is not kept.
/// </param>
internal readonly record struct StoreVersion(long Stamp, long Length, bool Settled = true);
