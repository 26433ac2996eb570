namespace Exports.Sdk;

/// <summary>A destination created at run time, as stored (secret settings protected), with its concurrency token.</summary>
/// <param name="Definition">The destination; secret settings hold protected text, never the secret.</param>
/// <param name="ETag">Changes on every write; an update or delete must present the current value.</param>
/// <param name="CreatedAt">When it was created.</param>
/// <param name="UpdatedAt">When it was last written.</param>
public sealed record StoredDestination(DestinationDefinition Definition, string ETag, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);
