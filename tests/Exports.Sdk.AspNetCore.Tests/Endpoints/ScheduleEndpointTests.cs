using System.Net;

namespace Exports.Sdk.AspNetCore.Tests;

public sealed class ScheduleEndpointTests : IAsyncLifetime
{
    private readonly ExportsWebFactory _web = new();
    private HttpClient _admin = null!;

    public Task InitializeAsync()
    {
        _admin = _web.Admin();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _web.DisposeAsync();

    [Fact]
    public async Task Switch_NeedsIfMatch_AndTurnsTheScheduleOff()
    {
        var (_, _, read) = await _admin.GetJsonAsync("dataflows/weekly-newsletter");
        (await _admin.PostJsonAsync("dataflows/weekly-newsletter/schedule", new { enabled = false })).Status.Should().Be((HttpStatusCode)428);
        (await _admin.PostJsonAsync("dataflows/weekly-newsletter/schedule", new { enabled = false }, "\"stale\"")).Status.Should().Be(HttpStatusCode.PreconditionFailed);

        var (status, body, response) = await _admin.PostJsonAsync("dataflows/weekly-newsletter/schedule", new { enabled = false }, read.ETag());
        status.Should().Be(HttpStatusCode.OK);
        body!["scheduleEnabled"]!.GetValue<bool>().Should().BeFalse();
        response.ETag().Should().NotBe(read.ETag());
    }

    [Fact]
    public async Task Bulk_DefinesOneScheduleForAll_OrChangesNothingWhenOneIsStale()
    {
        var newsletter = (await _admin.GetJsonAsync("dataflows/weekly-newsletter")).Response.ETag();
        var churn = (await _admin.GetJsonAsync("dataflows/churn-risk")).Response.ETag();
        var schedule = new { frequency = "Daily", startDate = "2026-12-01", startTime = "05:30" };

        var stale = await _admin.PostJsonAsync("dataflows/schedules", new
        {
            dataflows = new Dictionary<string, string> { ["weekly-newsletter"] = newsletter, ["churn-risk"] = "stale" },
            schedule,
        });
        stale.Status.Should().Be(HttpStatusCode.PreconditionFailed);
        stale.Body!["detail"]!.GetValue<string>().Should().Contain("'churn-risk'").And.Contain("Nothing was changed");
        (await _admin.GetJsonAsync("dataflows/weekly-newsletter")).Body!["audiences"]![0]!["schedule"]!["frequency"]!.GetValue<string>().Should().Be("Weekly");

        var (status, body, _) = await _admin.PostJsonAsync("dataflows/schedules", new
        {
            dataflows = new Dictionary<string, string> { ["weekly-newsletter"] = newsletter, ["churn-risk"] = churn },
            enabled = true,
            schedule,
        });
        status.Should().Be(HttpStatusCode.OK);
        body!.AsArray().Should().HaveCount(2);
        foreach (var id in new[] { "weekly-newsletter", "churn-risk" })
        {
            var dataflow = (await _admin.GetJsonAsync($"dataflows/{id}")).Body!;
            dataflow["scheduleEnabled"]!.GetValue<bool>().Should().BeTrue();
            dataflow["audiences"]![0]!["schedule"]!["startTime"]!.GetValue<string>().Should().Be("05:30");
        }
    }

    [Fact]
    public async Task Bulk_WithoutDataflows_IsABadRequest()
    {
        var (status, body, _) = await _admin.PostJsonAsync("dataflows/schedules", new { enabled = true });
        status.Should().Be(HttpStatusCode.BadRequest);
        body!["detail"]!.GetValue<string>().Should().Contain("'dataflows'");
    }

    [Fact]
    public async Task Bulk_ThatChangesNothing_IsABadRequest_AndKeepsTheETags()
    {
        var churn = (await _admin.GetJsonAsync("dataflows/churn-risk")).Response.ETag();

        var (status, body, _) = await _admin.PostJsonAsync("dataflows/schedules", new { dataflows = new Dictionary<string, string> { ["churn-risk"] = churn } });

        status.Should().Be(HttpStatusCode.BadRequest, body?.ToJsonString());
        body!["detail"]!.GetValue<string>().Should().Contain("needs Enable or ReplaceSchedule: this one changes nothing");
        (await _admin.GetJsonAsync("dataflows/churn-risk")).Response.ETag().Should().Be(churn, "other editors' copies stay current");
    }
}
