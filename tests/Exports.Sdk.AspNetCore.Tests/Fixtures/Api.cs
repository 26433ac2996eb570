using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Exports.Sdk.AspNetCore.Tests;

/// <summary>Requests and reads of the exports API as a client sees them: status, headers and JSON.</summary>
internal static class Api
{
    public const string Prefix = "/exports/api/";

    public static async Task<(HttpStatusCode Status, JsonNode? Body, HttpResponseMessage Response)> SendAsync(
        this HttpClient client, HttpMethod method, string path, object? body = null, string? ifMatch = null, string contentType = "application/json")
    {
        using var request = new HttpRequestMessage(method, Prefix + path);
        if (body is not null)
        {
            var json = body as string ?? JsonSerializer.Serialize(body, JsonSerializerOptions.Web);
            request.Content = new StringContent(json, Encoding.UTF8);
            request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
        }

        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text), response);
    }

    public static Task<(HttpStatusCode Status, JsonNode? Body, HttpResponseMessage Response)> GetJsonAsync(this HttpClient client, string path) =>
        client.SendAsync(HttpMethod.Get, path);

    public static Task<(HttpStatusCode Status, JsonNode? Body, HttpResponseMessage Response)> PostJsonAsync(this HttpClient client, string path, object? body = null, string? ifMatch = null) =>
        client.SendAsync(HttpMethod.Post, path, body, ifMatch);

    public static string ETag(this HttpResponseMessage response) =>
        response.Headers.ETag?.Tag ?? throw new InvalidOperationException("The response has no ETag.");

    /// <summary>A dataflow body as a client writes it.</summary>
    public static object Dataflow(string id, string source = "demo", string audience = "demo-audience", bool scheduled = true, string? startDate = "2026-01-01") => new
    {
        id,
        name = $"Dataflow {id}",
        source,
        destination = "demo-folder",
        attributes = new[] { "profileId", "person.email" },
        scheduleEnabled = scheduled,
        audiences = new[]
        {
            new
            {
                audienceId = audience,
                fileNameTemplate = "%DESTINATION_NAME%_%SEGMENT_ID%_%DATETIME(YYYYMMdd_HHmmss)%",
                mode = "DailyFullExport",
                schedule = startDate is null ? null : new { frequency = "Daily", startDate, startTime = "02:00" },
            },
        },
    };

    /// <summary>Polls a run until <paramref name="done"/> holds (or fails after 30 s).</summary>
    public static async Task<JsonNode> WaitForRunAsync(this HttpClient client, string runId, Func<JsonNode, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var (status, body, _) = await client.GetJsonAsync($"runs/{runId}");
            status.Should().Be(HttpStatusCode.OK);
            if (done(body!))
            {
                return body!;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Run {runId} did not reach the expected state: {body!.ToJsonString()}");
            }

            await Task.Delay(100);
        }
    }

    public static bool HasEnded(JsonNode run) => run["isActive"]!.GetValue<bool>() == false;
}
