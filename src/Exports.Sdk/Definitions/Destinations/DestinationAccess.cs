namespace Exports.Sdk;

/// <summary>What a destination is shared for with a contributor.</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(System.Text.Json.Serialization.JsonStringEnumConverter<DestinationAccess>))]
public enum DestinationAccess
{
    /// <summary>The contributor sees the destination and its exports.</summary>
    View,

    /// <summary>The contributor also edits and runs its exports.</summary>
    Edit,
}
