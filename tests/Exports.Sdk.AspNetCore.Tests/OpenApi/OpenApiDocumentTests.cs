using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Exports.Sdk.AspNetCore.Tests;

/// <summary>
/// The checked-in OpenAPI document (docs/openapi/exports-api.json) is the API's contract: a change to an endpoint
/// that changes the generated document fails here until the document is updated (EXPORTS_UPDATE_OPENAPI=1 rewrites it).
/// </summary>
public sealed class OpenApiDocumentTests : IAsyncLifetime
{
    private readonly ExportsWebFactory _web = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _web.DisposeAsync();

    [Fact]
    public async Task TheGeneratedDocument_IsTheCheckedInOne()
    {
        var response = await _web.CreateClient().GetAsync("/openapi/v1.json");
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var generated = Normalize(await response.Content.ReadAsStringAsync());
        var path = Path.Combine(RepositoryRoot(), "docs", "openapi", "exports-api.json");
        if (Environment.GetEnvironmentVariable("EXPORTS_UPDATE_OPENAPI") == "1")
        {
            await File.WriteAllTextAsync(path, generated);
        }

        File.Exists(path).Should().BeTrue($"{path} is checked in");
        generated.Should().Be(await File.ReadAllTextAsync(path), "the API changed: run the tests with EXPORTS_UPDATE_OPENAPI=1 and review the document's diff");
        var paths = JsonNode.Parse(generated)!["paths"]!.AsObject().Select(p => p.Key).ToList();
        paths.Should().Contain(["/exports/api/dataflows/{id}/export-now", "/exports/api/runs/{runId}/cancel", "/exports/api/dataflows/{id}"]);
    }

    /// <summary>The document without what depends on the machine (the server URL).</summary>
    private static string Normalize(string json)
    {
        var document = JsonNode.Parse(json)!.AsObject();
        document.Remove("servers");
        return document.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n";
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Exports.Sdk.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("The repository root was not found.");
    }
}
