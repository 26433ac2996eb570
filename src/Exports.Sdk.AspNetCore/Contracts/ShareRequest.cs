using System.Text.Json.Serialization;

namespace Exports.Sdk.AspNetCore;

/// <summary>The body of <c>PUT destinations/{name}/shares/{contributor}</c>: what the destination is shared for.</summary>
/// <param name="Access"><c>View</c> (see it and its exports) or <c>Edit</c> (also edit and run its exports).</param>
public sealed record ShareRequest([property: JsonRequired] DestinationAccess Access);
