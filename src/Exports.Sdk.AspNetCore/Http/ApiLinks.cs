using Microsoft.AspNetCore.Http;

namespace Exports.Sdk.AspNetCore;

/// <summary><c>Location</c> paths to a dataflow or a run, under whichever copy of the API answered the request.</summary>
internal static class ApiLinks
{
    public static string Dataflow(HttpContext http, string id) => PathTo(http, $"dataflows/{Uri.EscapeDataString(id)}");

    public static string Run(HttpContext http, string runId) => PathTo(http, $"runs/{Uri.EscapeDataString(runId)}");

    private static string PathTo(HttpContext http, string relative)
    {
        var group = http.GetEndpoint()?.Metadata.GetMetadata<ExportsApiGroup>()
            ?? throw new InvalidOperationException("The request was not answered by the exports API.");
        return $"{http.Request.PathBase}{group.Prefix.TrimEnd('/')}/{relative}";
    }
}
