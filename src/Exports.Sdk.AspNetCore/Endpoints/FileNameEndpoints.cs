using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Exports.Sdk.AspNetCore;

/// <summary>The file-name preview of the add/edit screen: a template rendered as a run starting now would name its file.</summary>
internal static class FileNameEndpoints
{
    public static void Map(RouteGroupBuilder group) =>
        group.MapPost(ExportsApiRoutes.FileNamePreview, PreviewAsync)
            .WithMetadata(ChangesNothing.Instance)
            .WithSummary("Renders a file-name template on a destination as a run starting now would; 400 names each problem of the template. Changes nothing.")
            .AcceptsJson<FileNamePreviewRequest>()
            .ProducesProblem(StatusCodes.Status400BadRequest);

    private static async Task<Ok<FileNamePreview>> PreviewAsync(HttpContext http, ClaimsPrincipal user, IExportManager manager, CancellationToken cancellationToken)
    {
        var request = await JsonBody.ReadAsync<FileNamePreviewRequest>(http, "a file-name preview").ConfigureAwait(false);
        return TypedResults.Ok(await manager.PreviewFileNameAsync(user, request, cancellationToken).ConfigureAwait(false));
    }
}
