namespace Exports.Sdk;

/// <summary>
/// A destination failed (storage error, authentication, missing container). The storage SDK's exception is the
/// inner exception; the message names the destination and never contains secrets.
/// </summary>
public class DestinationException : ExportException
{
    /// <summary>Creates the exception.</summary>
    public DestinationException()
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message.</param>
    public DestinationException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The storage SDK's exception.</param>
    public DestinationException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message, naming the destination and the problem.</param>
    /// <param name="isTransient">Whether retrying the same request may succeed (timeouts, throttling, dropped connections).</param>
    /// <param name="innerException">The storage SDK's exception.</param>
    public DestinationException(string message, bool isTransient, Exception? innerException = null)
        : base(message, innerException)
    {
        IsTransient = isTransient;
    }

    /// <summary>Whether retrying the same request may succeed.</summary>
    public bool IsTransient { get; }
}
