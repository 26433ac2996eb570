using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Exports.Sdk.AspNetCore;

/// <summary><c>Location</c> paths to a dataflow, a dataset export, a run or a destination, under whichever copy of the API answered the request.</summary>
internal static class ApiLinks
{
    public static string Dataflow(HttpContext http, string id) => PathTo(http, ExportsApiRoutes.GetDataflowName, new { id }, $"dataflows/{Uri.EscapeDataString(id)}");

    public static string DatasetExport(HttpContext http, string id) => PathTo(http, ExportsApiRoutes.GetDatasetExportName, new { id }, $"dataset-exports/{Uri.EscapeDataString(id)}");

    public static string Run(HttpContext http, string runId) => PathTo(http, ExportsApiRoutes.GetRunName, new { runId }, $"runs/{Uri.EscapeDataString(runId)}");

    public static string Destination(HttpContext http, string name) => PathTo(http, ExportsApiRoutes.GetDestinationName, new { name }, $"destinations/{Uri.EscapeDataString(name)}");

    private static string PathTo(HttpContext http, string endpointName, object values, string relative)
    {
        var group = http.GetEndpoint()?.Metadata.GetMetadata<ExportsApiGroup>()
            ?? throw new InvalidOperationException("The request was not answered by the exports API.");
        if (group.Named)
        {
            return http.RequestServices.GetRequiredService<LinkGenerator>().GetPathByName(http, endpointName, values)
                ?? throw new InvalidOperationException($"The exports API's endpoint '{endpointName}' is not mapped.");
        }

        // The unnamed copy sits below its own segment (e.g. /exports/_api/): keep the request's path up to it, so outer
        // groups and PathBase stay in the link.
        var segment = "/" + group.Prefix.Trim('/') + "/";
        var path = http.Request.Path.Value ?? "";
        var end = path.IndexOf(segment, StringComparison.Ordinal);
        return $"{http.Request.PathBase}{(end < 0 ? segment : path[..(end + segment.Length)])}{relative}";
    }
}
