namespace Exports.Sdk;

/// <summary>A write lost a race: the ETag was stale, the item is gone, or it already exists. Nothing was changed.</summary>
public class ExportConcurrencyException : ExportException
{
    /// <summary>Creates the exception.</summary>
    public ExportConcurrencyException()
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message.</param>
    public ExportConcurrencyException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public ExportConcurrencyException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
