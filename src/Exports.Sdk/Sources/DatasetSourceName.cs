namespace Exports.Sdk;

/// <summary>The name of a registered dataset source: keyed services cannot be listed, so each registration adds one.</summary>
/// <param name="Name">The source name.</param>
internal sealed record DatasetSourceName(string Name);
