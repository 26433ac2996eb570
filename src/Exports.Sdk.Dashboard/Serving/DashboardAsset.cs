namespace Exports.Sdk.Dashboard;

/// <summary>One embedded file of the dashboard.</summary>
/// <param name="Content">Its bytes.</param>
/// <param name="ContentType">Its media type.</param>
/// <param name="ETag">A hash of its bytes, for conditional requests.</param>
internal sealed record DashboardAsset(byte[] Content, string ContentType, string ETag);
