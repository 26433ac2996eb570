namespace Exports.Sdk;

/// <summary>The kinds of records a store holds.</summary>
internal enum StoreRecordKind
{
    Dataflow,
    Run,
    AudienceState,
}

/// <summary>Identifies a stored record: a dataflow, a run of a dataflow, or an audience's state in a dataflow.</summary>
internal readonly record struct StoreKey(StoreRecordKind Kind, string DataflowId, string? ItemId = null);
