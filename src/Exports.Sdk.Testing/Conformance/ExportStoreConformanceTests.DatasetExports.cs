using Xunit;

namespace Exports.Sdk.Testing;

/// <summary>The dataset export part of the store's behaviour: round-trips, ETags, ids shared with dataflows, the stored watermark.</summary>
public abstract partial class ExportStoreConformanceTests
{
    /// <summary>A dataset export round-trips with its schedule; updates and deletes need the current ETag.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public async Task DatasetExports_RoundTrip_AndStaleETagsChangeNothing()
    {
        var created = await Store.CreateDatasetExportAsync(DatasetExport("events")).ConfigureAwait(false);
        var read = await Store.GetDatasetExportAsync("events").ConfigureAwait(false);
        var all = new List<StoredDatasetExport>();
        await foreach (var export in Store.ListDatasetExportsAsync().ConfigureAwait(false))
        {
            all.Add(export);
        }

        Assert.NotNull(read);
        Assert.Equal(created.ETag, read.ETag);
        Assert.Equal(ExportMode.FirstFullThenIncremental, read.Definition.Mode);
        Assert.Equal(ScheduleFrequency.Every3Hours, read.Definition.Schedule!.Frequency);
        Assert.Equal("%DATASET_ID%/%DATETIME(YYYYMMdd)%/%EXPORT_TIME%", read.Definition.FolderTemplate);
        Assert.Equal(["id", "updated_at"], read.Definition.Columns);
        Assert.Equal("events", Assert.Single(all).Definition.Id);

        var changed = read.Definition.Clone();
        changed.ScheduleEnabled = false;
        var updated = await Store.UpdateDatasetExportAsync(changed, created.ETag).ConfigureAwait(false);
        Assert.NotEqual(created.ETag, updated.ETag);
        await Assert.ThrowsAsync<ExportConcurrencyException>(async () => await Store.UpdateDatasetExportAsync(read.Definition, created.ETag).ConfigureAwait(false)).ConfigureAwait(false);
        await Assert.ThrowsAsync<ExportConcurrencyException>(async () => await Store.DeleteDatasetExportAsync("events", created.ETag).ConfigureAwait(false)).ConfigureAwait(false);
        Assert.False((await Store.GetDatasetExportAsync("events").ConfigureAwait(false))!.Definition.ScheduleEnabled);

        await Store.DeleteDatasetExportAsync("events", updated.ETag).ConfigureAwait(false);
        Assert.Null(await Store.GetDatasetExportAsync("events").ConfigureAwait(false));
        await Assert.ThrowsAsync<ExportConcurrencyException>(async () => await Store.UpdateDatasetExportAsync(changed, updated.ETag).ConfigureAwait(false)).ConfigureAwait(false);
    }

    /// <summary>One id names one export: a dataset export cannot take a dataflow's id, nor a dataflow a dataset export's.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public async Task DatasetExports_ShareTheIdSpaceWithDataflows()
    {
        await Store.CreateDataflowAsync(Dataflow("taken")).ConfigureAwait(false);
        await Store.CreateDatasetExportAsync(DatasetExport("events")).ConfigureAwait(false);

        await Assert.ThrowsAsync<ExportConcurrencyException>(async () => await Store.CreateDatasetExportAsync(DatasetExport("taken")).ConfigureAwait(false)).ConfigureAwait(false);
        await Assert.ThrowsAsync<ExportConcurrencyException>(async () => await Store.CreateDatasetExportAsync(DatasetExport("events")).ConfigureAwait(false)).ConfigureAwait(false);
        await Assert.ThrowsAsync<ExportConcurrencyException>(async () => await Store.CreateDataflowAsync(Dataflow("events")).ConfigureAwait(false)).ConfigureAwait(false);
        Assert.Null(await Store.GetDatasetExportAsync("taken").ConfigureAwait(false));
    }

    /// <summary>A dataset export's stored watermark keeps its column type and value.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public async Task DatasetWatermark_RoundTripsInTheState()
    {
        var at = DatasetWatermark.FromTimestamp(new DateTimeOffset(2026, 3, 1, 5, 25, 0, TimeSpan.Zero));
        await Store.SaveAudienceStateAsync(new AudienceExportState { DataflowId = "events", AudienceId = "events", DatasetWatermark = at, RecentChanges = "AAAA" }).ConfigureAwait(false);
        await Store.SaveAudienceStateAsync(new AudienceExportState { DataflowId = "orders", AudienceId = "orders", DatasetWatermark = DatasetWatermark.FromInt64(42) }).ConfigureAwait(false);

        var events = await Store.GetAudienceStateAsync("events", "events").ConfigureAwait(false);
        var orders = await Store.GetAudienceStateAsync("orders", "orders").ConfigureAwait(false);

        Assert.Equal(at, events!.DatasetWatermark);
        Assert.Equal("AAAA", events.RecentChanges);
        Assert.Equal(DatasetWatermark.FromInt64(42), orders!.DatasetWatermark);
    }

    private static DatasetExportDefinition DatasetExport(string id) => new()
    {
        Id = id,
        Name = "Raw events",
        Source = "warehouse",
        DatasetId = "events",
        Destination = "lake",
        Columns = ["id", "updated_at"],
        Mode = ExportMode.FirstFullThenIncremental,
        WatermarkColumn = "updated_at",
        FolderTemplate = "%DATASET_ID%/%DATETIME(YYYYMMdd)%/%EXPORT_TIME%",
        Schedule = new ExportSchedule { Frequency = ScheduleFrequency.Every3Hours, StartDate = new DateOnly(2026, 3, 1), StartTime = "00:00" },
    };
}
