namespace Exports.Sdk.AspNetCore;

/// <summary>One dataflow as listed by <c>GET dataflows</c>: the dataflow, and what the caller may do with it.</summary>
/// <param name="Dataflow">The dataflow.</param>
/// <param name="ETag">Its ETag, for <c>If-Match</c>.</param>
/// <param name="DestinationType">The type of its destination (e.g. <c>sftp</c>).</param>
/// <param name="IsReadOnly">Declared in configuration: listed, not editable.</param>
/// <param name="YourPermission"><c>Edit</c> or <c>View</c> (the seeds' "Your permissions" column).</param>
/// <param name="Permissions">Everything the caller may do: view, edit, run.</param>
/// <param name="LastRun">Its latest run (status, time), or null.</param>
public sealed record DataflowListItem(
    DataflowDefinition Dataflow, string ETag, string DestinationType, bool IsReadOnly, string YourPermission, DataflowPermissions Permissions, ExportRunSummary? LastRun)
{
    internal static DataflowListItem From(ManagedDataflow managed) => new(
        managed.Definition, managed.ETag, managed.DestinationType, managed.IsReadOnly,
        managed.Permissions.HasFlag(DataflowPermissions.Edit) ? "Edit" : "View", managed.Permissions, managed.LastRun);
}
