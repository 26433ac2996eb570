namespace Exports.Sdk.AspNetCore;

/// <summary>The body of <c>POST dataflows/{id}/export-now</c>.</summary>
/// <param name="AudienceIds">The audiences of the dataflow to export now, at most 80.</param>
public sealed record ExportNowRequest(IReadOnlyList<string> AudienceIds);
