namespace Exports.Sdk;

/// <summary>The value type of an exported column. Formats map each type to their own representation.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1720", Justification = "Named after the CLR types they hold, like DbType.")]
[System.Text.Json.Serialization.JsonConverter(typeof(System.Text.Json.Serialization.JsonStringEnumConverter<ExportColumnType>))]
public enum ExportColumnType
{
    /// <summary>Text (<see cref="string"/>).</summary>
    String,

    /// <summary>32-bit signed integer (<see cref="int"/>).</summary>
    Int32,

    /// <summary>64-bit signed integer (<see cref="long"/>).</summary>
    Int64,

    /// <summary>Double-precision floating point (<see cref="double"/>).</summary>
    Double,

    /// <summary>Exact decimal number (<see cref="decimal"/>).</summary>
    Decimal,

    /// <summary>Boolean (<see cref="bool"/>).</summary>
    Boolean,

    /// <summary>Calendar date without time (<see cref="DateOnly"/>).</summary>
    Date,

    /// <summary>Instant in time, always exported in UTC (<see cref="DateTimeOffset"/>).</summary>
    Timestamp,

    /// <summary>Globally unique identifier (<see cref="System.Guid"/>), exported in its 36-character form.</summary>
    Guid,
}
