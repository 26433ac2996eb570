namespace Exports.Sdk;

/// <summary>The kinds of records a store holds.</summary>
internal enum StoreRecordKind
{
    Dataflow,
    Run,
    AudienceState,
    Destination,
    DatasetExport,
}

/// <summary>Identifies a stored record: a dataflow, a dataset export, a run of either, an audience's (or dataset's) state in one, or a destination (its name in <c>DataflowId</c>).</summary>
internal readonly record struct StoreKey(StoreRecordKind Kind, string DataflowId, string? ItemId = null);
