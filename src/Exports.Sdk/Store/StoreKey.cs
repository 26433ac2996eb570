namespace Exports.Sdk;

/// <summary>The kinds of records a store holds.</summary>
internal enum StoreRecordKind
{
    Dataflow,
    Run,
    AudienceState,
    Destination,
}

/// <summary>Identifies a stored record: a dataflow, a run of a dataflow, an audience's state in a dataflow, or a destination (its name in <c>DataflowId</c>).</summary>
internal readonly record struct StoreKey(StoreRecordKind Kind, string DataflowId, string? ItemId = null);
