namespace Exports.Sdk.Dashboard;

/// <summary>Registered by <c>AddDashboard()</c>, so mapping without it fails with a clear message.</summary>
internal sealed class DashboardMarker;
