namespace Exports.Sdk.AspNetCore;

/// <summary>Endpoint metadata of a mapped copy of the API: its prefix, from which <c>Location</c> links are made.</summary>
/// <param name="Prefix">The group's route prefix, e.g. <c>/exports/api</c>.</param>
internal sealed record ExportsApiGroup(string Prefix);
