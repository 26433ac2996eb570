namespace Exports.Sdk.Dashboard;

/// <summary>Options of one mapped dashboard (<c>MapExportsDashboard</c>), as Hangfire's <c>DashboardOptions</c>.</summary>
public sealed class ExportsDashboardOptions
{
    /// <summary>
    /// Who may open the dashboard: every filter must allow the request. Default: <see cref="LocalRequestsOnlyAuthorizationFilter"/>
    /// alone. The SDK's permission policy still decides every operation for the signed-in user.
    /// </summary>
    public IReadOnlyList<IExportsDashboardAuthorizationFilter> Authorization { get; set; } = [new LocalRequestsOnlyAuthorizationFilter()];

    /// <summary>When true, the screens show and the dashboard's API accepts no change and no run. Default false.</summary>
    public bool IsReadOnly { get; set; }

    /// <summary>The title in the page header and the browser tab. Default "Exports".</summary>
    public string Title { get; set; } = "Exports";

    /// <summary>A link back to the host application shown in the header (e.g. <c>/</c>); default none.</summary>
    public string? AppPath { get; set; }
}
