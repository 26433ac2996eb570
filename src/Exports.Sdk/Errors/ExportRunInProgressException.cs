namespace Exports.Sdk;

/// <summary>A run was refused because an audience is already being exported on that dataflow.</summary>
public class ExportRunInProgressException : ExportException
{
    /// <summary>Creates the exception.</summary>
    public ExportRunInProgressException()
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message.</param>
    public ExportRunInProgressException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public ExportRunInProgressException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for conflicting runs.</summary>
    /// <param name="dataflowId">The dataflow.</param>
    /// <param name="conflicts">Each audience and the run already exporting it.</param>
    public ExportRunInProgressException(string dataflowId, IReadOnlyList<RunConflict> conflicts)
        : this(dataflowId, conflicts, isDatasetExport: false)
    {
    }

    /// <summary>Creates the exception for conflicting runs of a dataflow or a dataset export.</summary>
    /// <param name="exportId">The dataflow or dataset export.</param>
    /// <param name="conflicts">Each audience or dataset and the run already exporting it.</param>
    /// <param name="isDatasetExport">Whether <paramref name="exportId"/> is a dataset export (else a dataflow), for the message.</param>
    public ExportRunInProgressException(string exportId, IReadOnlyList<RunConflict> conflicts, bool isDatasetExport)
        : base(string.Join(" ", (conflicts ?? []).Select(c => isDatasetExport
            ? $"A run is already in progress for dataset '{c.AudienceId}' of dataset export '{exportId}' (run '{c.RunId}')."
            : $"A run is already in progress for audience '{c.AudienceId}' on dataflow '{exportId}' (run '{c.RunId}').")))
    {
        DataflowId = exportId;
        Conflicts = conflicts ?? [];
    }

    /// <summary>The dataflow or dataset export.</summary>
    public string? DataflowId { get; }

    /// <summary>Each audience and the run already exporting it.</summary>
    public IReadOnlyList<RunConflict> Conflicts { get; } = [];
}
