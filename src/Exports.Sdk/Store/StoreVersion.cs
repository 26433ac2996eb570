namespace Exports.Sdk;

/// <summary>
/// What a backend can tell of a record without reading it, and which changes whenever the record is written (a file's
/// modification time and length; a counter in memory): what was read of the record at one version holds while it does.
/// </summary>
internal readonly record struct StoreVersion(long Stamp, long Length);
