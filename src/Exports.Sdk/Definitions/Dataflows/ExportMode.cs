namespace Exports.Sdk;

/// <summary>How an activated audience is exported on its schedule.</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(System.Text.Json.Serialization.JsonStringEnumConverter<ExportMode>))]
public enum ExportMode
{
    /// <summary>Every run writes all current members. Frequencies: Once, Daily, Weekly, Monthly.</summary>
    DailyFullExport,

    /// <summary>
    /// The first run writes all members; later runs only profiles whose membership or attributes changed since the last
    /// successful run (exited members included). Frequencies: Daily, Every3Hours, Every6Hours, Every8Hours, Every12Hours.
    /// </summary>
    FirstFullThenIncremental,
}
