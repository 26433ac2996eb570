namespace Exports.Sdk.AspNetCore;

/// <summary>The optional body of <c>POST dataflows/{id}/duplicate</c>.</summary>
/// <param name="Name">The copy's name; default "&lt;name&gt; (copy)".</param>
public sealed record DuplicateRequest(string? Name);
