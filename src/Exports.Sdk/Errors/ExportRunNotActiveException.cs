namespace Exports.Sdk;

/// <summary>The run has already ended, so it cannot be cancelled.</summary>
public class ExportRunNotActiveException : ExportException
{
    /// <summary>Creates the exception.</summary>
    public ExportRunNotActiveException()
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message.</param>
    public ExportRunNotActiveException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public ExportRunNotActiveException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
