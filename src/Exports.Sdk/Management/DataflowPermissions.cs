namespace Exports.Sdk;

/// <summary>What a caller may do with one dataflow (the seeds' "Your permissions" column).</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(System.Text.Json.Serialization.JsonStringEnumConverter<DataflowPermissions>))]
[Flags]
public enum DataflowPermissions
{
    /// <summary>Nothing.</summary>
    None = 0,

    /// <summary>See it and its runs.</summary>
    View = 1,

    /// <summary>Change, schedule or delete it (not for dataflows declared in configuration).</summary>
    Edit = 2,

    /// <summary>Run it, export it now, cancel its runs.</summary>
    Run = 4,
}
