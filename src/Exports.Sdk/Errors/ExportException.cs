namespace Exports.Sdk;

/// <summary>An export could not be done: bad data, a source failure, or a destination failure.</summary>
public class ExportException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ExportException()
    {
    }

    /// <summary>Creates the exception with a message that names the export, the field and the value.</summary>
    /// <param name="message">The message.</param>
    public ExportException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the underlying cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public ExportException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
