using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Exports.Sdk.AspNetCore;

/// <summary><c>Location</c> paths to a dataflow or a run, under whatever prefix the host mapped the API at.</summary>
internal static class ApiLinks
{
    public static string Dataflow(HttpContext http, string id) => PathTo(http, ExportsApiRoutes.GetDataflowName, new { id });

    public static string Run(HttpContext http, string runId) => PathTo(http, ExportsApiRoutes.GetRunName, new { runId });

    private static string PathTo(HttpContext http, string endpointName, object values) =>
        http.RequestServices.GetRequiredService<LinkGenerator>().GetPathByName(http, endpointName, values)
            ?? throw new InvalidOperationException($"The exports API's endpoint '{endpointName}' is not mapped.");
}
