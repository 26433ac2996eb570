using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.JsonPatch.SystemTextJson;
using Microsoft.AspNetCore.JsonPatch.SystemTextJson.Exceptions;
using Microsoft.AspNetCore.JsonPatch.SystemTextJson.Operations;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace Exports.Sdk.AspNetCore;

/// <summary>Dataflows (exports): list and search, create, read, edit with ETags (PUT, or JSON Patch as seed 003 does), duplicate, delete.</summary>
internal static class DataflowEndpoints
{
    private const string JsonPatchContentType = "application/json-patch+json";

    private static readonly string[] PatchOperations = ["add", "remove", "replace", "move", "copy", "test"];

    public static void Map(RouteGroupBuilder group, bool named)
    {
        group.MapGet(ExportsApiRoutes.Dataflows, ListAsync)
            .WithSummary("Lists and searches dataflows (name, destination name or type), each with the caller's permission and its last run.")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        group.MapPost(ExportsApiRoutes.Dataflows, CreateAsync)
            .WithSummary("Creates a dataflow.")
            .AcceptsJson<DataflowDefinition>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status409Conflict);
        group.MapGet(ExportsApiRoutes.Dataflow, GetAsync)
            .WithNameIf(named, ExportsApiRoutes.GetDataflowName)
            .WithSummary("Returns one dataflow, with its ETag.");
        group.MapPut(ExportsApiRoutes.Dataflow, ReplaceAsync)
            .WithSummary("Replaces a dataflow; needs If-Match.")
            .AcceptsJson<DataflowDefinition>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .ProducesProblem(StatusCodes.Status428PreconditionRequired);
        group.MapPatch(ExportsApiRoutes.Dataflow, PatchAsync)
            .WithSummary("Edits a dataflow with a JSON Patch document (RFC 6902), e.g. to add audiences; needs If-Match.")
            .AcceptsJson<JsonPatchDocument<DataflowDefinition>>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .ProducesProblem(StatusCodes.Status428PreconditionRequired);
        group.MapDelete(ExportsApiRoutes.Dataflow, DeleteAsync)
            .WithSummary("Deletes a dataflow (its run history stays; refused while one of its runs is under way); needs If-Match.")
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .ProducesProblem(StatusCodes.Status428PreconditionRequired);
        group.MapPost(ExportsApiRoutes.DuplicateDataflow, DuplicateAsync)
            .WithSummary("Creates a duplicate: same settings, new id and name, schedule switched off.")
            .AcceptsJson<DuplicateRequest>();
    }

    private static async Task<Results<Ok<ExportPage<DataflowListItem>>, ProblemHttpResult>> ListAsync(
        string? search, int? skip, int? take, ClaimsPrincipal user, IExportManager manager, IOptions<ExportsHttpApiOptions> options, CancellationToken cancellationToken)
    {
        if (Paging.Check(skip, take, options.Value) is { } problem)
        {
            return problem;
        }

        var page = await manager.SearchAsync(user, new DataflowQuery { Search = search, Skip = skip ?? 0, Take = take ?? options.Value.MaxPageSize }, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(new ExportPage<DataflowListItem>([.. page.Items.Select(DataflowListItem.From)], page.TotalCount));
    }

    private static async Task<Results<Created<DataflowDefinition>, ProblemHttpResult>> CreateAsync(HttpContext http, ClaimsPrincipal user, IExportManager manager, CancellationToken cancellationToken)
    {
        var dataflow = await JsonBody.ReadAsync<DataflowDefinition>(http, "a new dataflow").ConfigureAwait(false);
        ManagedDataflow created;
        try
        {
            created = await manager.CreateAsync(user, dataflow, cancellationToken).ConfigureAwait(false);
        }
        catch (ExportConcurrencyException ex)
        {
            // On create, a clash is with an existing id, not a stale ETag.
            return TypedResults.Problem(ex.Message, statusCode: StatusCodes.Status409Conflict, title: "Already exists");
        }

        ETagHeader.Set(http, created.ETag);
        return TypedResults.Created(ApiLinks.Dataflow(http, created.Definition.Id), created.Definition);
    }

    private static async Task<Results<Ok<DataflowDefinition>, ProblemHttpResult>> GetAsync(string id, HttpContext http, ClaimsPrincipal user, IExportManager manager, CancellationToken cancellationToken)
    {
        var found = await manager.GetAsync(user, id, cancellationToken).ConfigureAwait(false);
        if (found is null)
        {
            return ExportProblems.NotFound($"There is no dataflow '{id}'.");
        }

        ETagHeader.Set(http, found.ETag);
        return TypedResults.Ok(found.Definition);
    }

    private static async Task<Results<Ok<DataflowDefinition>, ProblemHttpResult>> ReplaceAsync(string id, HttpContext http, ClaimsPrincipal user, IExportManager manager, CancellationToken cancellationToken)
    {
        if (ETagHeader.ReadIfMatch(http.Request) is not { } etag)
        {
            return ExportProblems.IfMatchRequired($"dataflow '{id}'");
        }

        var dataflow = await JsonBody.ReadAsync<DataflowDefinition>(http, $"dataflow '{id}'").ConfigureAwait(false);
        if (!string.IsNullOrEmpty(dataflow.Id) && dataflow.Id != id)
        {
            return ExportProblems.BadRequest($"The body's id '{dataflow.Id}' is not the id in the path, '{id}'; a dataflow's id cannot change.");
        }

        dataflow.Id = id;
        return await UpdateAsync(http, user, manager, dataflow, etag, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<Results<Ok<DataflowDefinition>, ProblemHttpResult>> PatchAsync(string id, HttpContext http, ClaimsPrincipal user, IExportManager manager, CancellationToken cancellationToken)
    {
        if (ETagHeader.ReadIfMatch(http.Request) is not { } etag)
        {
            return ExportProblems.IfMatchRequired($"dataflow '{id}'");
        }

        // A JSON Patch document is JSON: application/json is taken too (HasJsonContentType also takes any +json type).
        if (!http.Request.HasJsonContentType())
        {
            return TypedResults.Problem($"PATCH of dataflow '{id}' takes a JSON Patch document (Content-Type {JsonPatchContentType} or application/json); it was '{http.Request.ContentType ?? "(none)"}'.",
                statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported media type");
        }

        var patch = await JsonBody.ReadAsync<JsonPatchDocument<DataflowDefinition>>(http, $"the patch of dataflow '{id}'").ConfigureAwait(false);
        var current = await manager.GetAsync(user, id, cancellationToken).ConfigureAwait(false);
        if (current is null)
        {
            return ExportProblems.NotFound($"There is no dataflow '{id}'.");
        }

        var patched = current.Definition.Clone();
        var errors = new List<string>();
        foreach (var operation in patch.Operations)
        {
            // Exactly as RFC 6902 spells them: the library would also take "ADD", or a number, and ignore what it cannot do.
            if (!PatchOperations.Contains(operation.op ?? ""))
            {
                errors.Add($"Operation '{operation.op}' is not one of add, remove, replace, move, copy or test.");
            }
            else if (string.IsNullOrEmpty(operation.path))
            {
                errors.Add($"Operation '{operation.op}' has no 'path'.");
            }
            else if (operation.OperationType is OperationType.Move or OperationType.Copy && string.IsNullOrEmpty(operation.from))
            {
                errors.Add($"Operation '{operation.op}' at '{operation.path}' has no 'from'.");
            }
        }

        if (errors.Count == 0)
        {
            try
            {
                patch.ApplyTo(patched, error => errors.Add($"Operation '{error.Operation.op}' at '{error.Operation.path}': {error.ErrorMessage}"));
            }
            catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or FormatException or JsonException or JsonPatchException)
            {
                errors.Add(ex.Message);
            }
        }

        if (errors.Count > 0)
        {
            return ExportProblems.BadRequest(new ExportValidationException([.. errors.Select(e => $"The patch of dataflow '{id}' cannot be applied: {e}")]));
        }

        // A "remove" of a list leaves null where the model allows none: named like the same null in a body.
        patched = JsonBody.Reread(http, patched, $"the patched dataflow '{id}'");

        if (patched.Id != id)
        {
            return ExportProblems.BadRequest($"The patch of dataflow '{id}' changes its id to '{patched.Id}'; a dataflow's id cannot change.");
        }

        return await UpdateAsync(http, user, manager, patched, etag, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(string id, HttpContext http, ClaimsPrincipal user, IExportManager manager, CancellationToken cancellationToken)
    {
        if (ETagHeader.ReadIfMatch(http.Request) is not { } etag)
        {
            return ExportProblems.IfMatchRequired($"dataflow '{id}'");
        }

        // An unknown id is ExportNotFoundException from the manager: 404.
        await manager.DeleteAsync(user, id, etag, cancellationToken).ConfigureAwait(false);
        return TypedResults.NoContent();
    }

    private static async Task<Created<DataflowDefinition>> DuplicateAsync(string id, HttpContext http, ClaimsPrincipal user, IExportManager manager, CancellationToken cancellationToken)
    {
        var request = await JsonBody.ReadAsync<DuplicateRequest>(http, $"the duplicate of dataflow '{id}'", optional: true).ConfigureAwait(false);
        var copy = await manager.DuplicateAsync(user, id, request?.Name, cancellationToken).ConfigureAwait(false);
        ETagHeader.Set(http, copy.ETag);
        return TypedResults.Created(ApiLinks.Dataflow(http, copy.Definition.Id), copy.Definition);
    }

    private static async Task<Results<Ok<DataflowDefinition>, ProblemHttpResult>> UpdateAsync(
        HttpContext http, ClaimsPrincipal user, IExportManager manager, DataflowDefinition dataflow, string etag, CancellationToken cancellationToken)
    {
        // An unknown id is ExportNotFoundException from the manager: 404.
        var updated = await manager.UpdateAsync(user, dataflow, etag, cancellationToken).ConfigureAwait(false);
        ETagHeader.Set(http, updated.ETag);
        return TypedResults.Ok(updated.Definition);
    }
}
