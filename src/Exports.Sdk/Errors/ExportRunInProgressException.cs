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
        : base(string.Join(" ", (conflicts ?? []).Select(c =>
            $"A run is already in progress for audience '{c.AudienceId}' on dataflow '{dataflowId}' (run '{c.RunId}').")))
    {
        DataflowId = dataflowId;
        Conflicts = conflicts ?? [];
    }

    /// <summary>The dataflow.</summary>
    public string? DataflowId { get; }

    /// <summary>Each audience and the run already exporting it.</summary>
    public IReadOnlyList<RunConflict> Conflicts { get; } = [];
}
