namespace Exports.Sdk;

/// <summary>The dataflow, run or source named does not exist (or the caller may not see it).</summary>
public class ExportNotFoundException : ExportValidationException
{
    /// <summary>Creates the exception.</summary>
    public ExportNotFoundException()
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">Names what is missing.</param>
    public ExportNotFoundException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">Names what is missing.</param>
    /// <param name="innerException">The cause.</param>
    public ExportNotFoundException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
