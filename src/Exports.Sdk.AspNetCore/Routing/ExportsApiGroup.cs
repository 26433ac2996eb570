namespace Exports.Sdk.AspNetCore;

/// <summary>
/// Endpoint metadata of a mapped copy of the API. The host's named copy makes <c>Location</c> links with the
/// <c>LinkGenerator</c>; an unnamed copy (the dashboard's) from the request path up to its own prefix segment.
/// </summary>
/// <param name="Named">Whether its endpoints carry names.</param>
/// <param name="Prefix">Its prefix relative to where it was mapped, e.g. <c>_api</c>.</param>
internal sealed record ExportsApiGroup(bool Named, string Prefix);
