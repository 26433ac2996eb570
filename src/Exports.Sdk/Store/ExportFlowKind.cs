namespace Exports.Sdk;

/// <summary>What kind of export a run belongs to.</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(System.Text.Json.Serialization.JsonStringEnumConverter<ExportFlowKind>))]
public enum ExportFlowKind
{
    /// <summary>An audience dataflow (<see cref="DataflowDefinition"/>).</summary>
    Dataflow,

    /// <summary>A dataset export (<see cref="DatasetExportDefinition"/>).</summary>
    DatasetExport,
}
