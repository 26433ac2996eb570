using System.Text.Json.Serialization;

namespace Exports.Sdk.AspNetCore;

/// <summary>The body of <c>POST dataflows/{id}/schedule</c>: switch the dataflow's schedule on or off.</summary>
/// <param name="Enabled">On or off.</param>
public sealed record ScheduleSwitchRequest([property: JsonRequired] bool Enabled);
