using Exports.Sdk;

namespace Exports.WebHost.Seeding;

/// <summary>A raw dataset for the dataset export screens: web events with a growing sequence number to export incrementally by.</summary>
internal static class DemoEvents
{
    public const string SourceName = "demo-events";

    public static InMemoryDatasetSource Create(int count)
    {
        var schema = new ExportSchema(
        [
            new ExportColumn("seq", ExportColumnType.Int64),
            new ExportColumn("event", ExportColumnType.String),
            new ExportColumn("page", ExportColumnType.String),
            new ExportColumn("occurredAt", ExportColumnType.Timestamp),
        ]);
        string[] events = ["page_view", "add_to_cart", "purchase", "sign_up"];
        var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var rows = Enumerable.Range(1, count).Select(i => new object?[] { (long)i, events[i % events.Length], $"/products/{i % 97}", start.AddMinutes(i) });
        return new InMemoryDatasetSource().AddDataset("web-events", schema, rows);
    }
}
