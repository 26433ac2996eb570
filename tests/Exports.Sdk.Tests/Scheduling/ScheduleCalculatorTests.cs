namespace Exports.Sdk.Tests.Scheduling;

public class ScheduleCalculatorTests
{
    public static TheoryData<string, ExportMode, ScheduleFrequency, string, string?, string, string[]> Cases => new()
    {
        { "once near midnight", ExportMode.DailyFullExport, ScheduleFrequency.Once, "2024-02-28", null, "23:59", ["2024-02-28T23:59"] },
        {
            "daily full across leap day with exclusive end", ExportMode.DailyFullExport, ScheduleFrequency.Daily, "2024-02-26", "2024-03-03", "23:59",
            ["2024-02-26T23:59", "2024-02-27T23:59", "2024-02-28T23:59", "2024-02-29T23:59", "2024-03-01T23:59", "2024-03-02T23:59"]
        },
        {
            "daily incremental at midnight", ExportMode.FirstFullThenIncremental, ScheduleFrequency.Daily, "2023-02-26", "2023-03-02", "00:00",
            ["2023-02-26T00:00", "2023-02-27T00:00", "2023-02-28T00:00", "2023-03-01T00:00"]
        },
        {
            "weekly over 40 days", ExportMode.DailyFullExport, ScheduleFrequency.Weekly, "2024-01-31", null, "00:01",
            ["2024-01-31T00:01", "2024-02-07T00:01", "2024-02-14T00:01", "2024-02-21T00:01", "2024-02-28T00:01", "2024-03-06T00:01"]
        },
        { "weekly with exclusive end", ExportMode.DailyFullExport, ScheduleFrequency.Weekly, "2024-01-31", "2024-02-14", "12:00", ["2024-01-31T12:00", "2024-02-07T12:00"] },
        { "monthly from the 31st, leap year", ExportMode.DailyFullExport, ScheduleFrequency.Monthly, "2024-01-31", null, "23:30", ["2024-01-31T23:30", "2024-02-29T23:30"] },
        { "monthly from the 31st, common year", ExportMode.DailyFullExport, ScheduleFrequency.Monthly, "2023-01-31", null, "00:00", ["2023-01-31T00:00", "2023-02-28T00:00"] },
        { "monthly back to the 31st", ExportMode.DailyFullExport, ScheduleFrequency.Monthly, "2023-12-31", null, "06:00", ["2023-12-31T06:00", "2024-01-31T06:00"] },
        { "monthly from the 30th", ExportMode.DailyFullExport, ScheduleFrequency.Monthly, "2024-03-30", null, "06:00", ["2024-03-30T06:00", "2024-04-30T06:00"] },
        {
            "every 3 hours across leap day", ExportMode.FirstFullThenIncremental, ScheduleFrequency.Every3Hours, "2024-02-28", "2024-03-01", "22:00",
            ["2024-02-28T22:00", "2024-02-29T01:00", "2024-02-29T04:00", "2024-02-29T07:00", "2024-02-29T10:00", "2024-02-29T13:00", "2024-02-29T16:00", "2024-02-29T19:00", "2024-02-29T22:00"]
        },
        {
            "every 6 hours near midnight", ExportMode.FirstFullThenIncremental, ScheduleFrequency.Every6Hours, "2024-12-30", "2025-01-01", "23:45",
            ["2024-12-30T23:45", "2024-12-31T05:45", "2024-12-31T11:45", "2024-12-31T17:45", "2024-12-31T23:45"]
        },
        {
            "every 8 hours", ExportMode.FirstFullThenIncremental, ScheduleFrequency.Every8Hours, "2024-03-30", "2024-04-01", "07:00",
            ["2024-03-30T07:00", "2024-03-30T15:00", "2024-03-30T23:00", "2024-03-31T07:00", "2024-03-31T15:00", "2024-03-31T23:00"]
        },
        {
            "every 12 hours", ExportMode.FirstFullThenIncremental, ScheduleFrequency.Every12Hours, "2024-02-28", "2024-03-02", "12:00",
            ["2024-02-28T12:00", "2024-02-29T00:00", "2024-02-29T12:00", "2024-03-01T00:00", "2024-03-01T12:00"]
        },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Occurrences_Over40Days_AreExactlyTheseUtcTimes(string because, ExportMode mode, ScheduleFrequency frequency, string start, string? end, string time, string[] expected)
    {
        var schedule = new ExportSchedule
        {
            Frequency = frequency,
            StartDate = DateOnly.Parse(start, System.Globalization.CultureInfo.InvariantCulture),
            EndDate = end is null ? null : DateOnly.Parse(end, System.Globalization.CultureInfo.InvariantCulture),
            StartTime = time,
        };
        var dataflow = new DataflowDefinition { Id = "d", Source = "s", Destination = "x", Attributes = ["a"], Audiences = [new AudienceActivation { AudienceId = "a", Mode = mode, Schedule = schedule }] };
        DataflowValidator.Validate(dataflow).Should().BeEmpty("the case must be a valid schedule: " + because);
        var from = new DateTimeOffset(schedule.StartDate.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

        var occurrences = ScheduleCalculator.Occurrences(schedule, from, from.AddDays(40)).Select(o => o.ToString("yyyy-MM-dd'T'HH:mm", System.Globalization.CultureInfo.InvariantCulture));

        occurrences.Should().Equal(expected, because);
    }

    [Fact]
    public void PreviousAndNext_AroundAnOccurrence_AreTheNeighbours()
    {
        var schedule = new ExportSchedule { Frequency = ScheduleFrequency.Daily, StartDate = new DateOnly(2026, 1, 1), StartTime = "06:30" };
        var at = new DateTimeOffset(2026, 1, 10, 6, 30, 0, TimeSpan.Zero);

        ScheduleCalculator.Previous(schedule, at).Should().Be(at);
        ScheduleCalculator.Previous(schedule, at.AddTicks(-1)).Should().Be(at.AddDays(-1));
        ScheduleCalculator.Next(schedule, at).Should().Be(at.AddDays(1));
        ScheduleCalculator.Previous(schedule, new DateTimeOffset(2025, 12, 31, 0, 0, 0, TimeSpan.Zero)).Should().BeNull();
    }

    [Fact]
    public void SlotRunId_SameSlot_SameId_OtherSlotOrAudience_OtherId()
    {
        var slot = new DateTimeOffset(2026, 12, 1, 2, 0, 0, TimeSpan.Zero);

        SlotRunId.For("d", "a", slot).Should().Be(SlotRunId.For("d", "a", slot.ToOffset(TimeSpan.FromHours(2))));
        SlotRunId.For("d", "a", slot).Should().StartWith("20261201T0200Z-").And.NotBe(SlotRunId.For("d", "b", slot)).And.NotBe(SlotRunId.For("d", "a", slot.AddDays(1)));
    }
}
