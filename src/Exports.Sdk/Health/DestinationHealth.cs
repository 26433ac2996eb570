namespace Exports.Sdk;

/// <summary>The result of a destination's connection test.</summary>
/// <param name="Name">The destination name.</param>
/// <param name="Type">The provider type.</param>
/// <param name="Status">Healthy when the test wrote and removed a probe, else unhealthy.</param>
/// <param name="Message">What was checked or what failed (no secrets).</param>
/// <param name="MissingPermission">The missing permission, when known.</param>
public sealed record DestinationHealth(string Name, string Type, ExportsHealthStatus Status, string Message, string? MissingPermission);
