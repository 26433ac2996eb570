namespace Exports.Sdk;

/// <summary>Configuration or a request is invalid. <see cref="Errors"/> lists every problem found, each naming the field and value.</summary>
public class ExportValidationException : ExportException
{
    /// <summary>Creates the exception.</summary>
    public ExportValidationException()
        : this([])
    {
    }

    /// <summary>Creates the exception with one problem.</summary>
    /// <param name="message">The problem.</param>
    public ExportValidationException(string message)
        : this([message])
    {
    }

    /// <summary>Creates the exception with one problem and a cause.</summary>
    /// <param name="message">The problem.</param>
    /// <param name="innerException">The cause.</param>
    public ExportValidationException(string message, Exception? innerException)
        : base(message, innerException)
    {
        Errors = [message];
    }

    /// <summary>Creates the exception with every problem found.</summary>
    /// <param name="errors">The problems.</param>
    public ExportValidationException(IReadOnlyList<string> errors)
        : base(Describe(errors))
    {
        Errors = errors;
    }

    /// <summary>Every problem found.</summary>
    public IReadOnlyList<string> Errors { get; }

    private static string Describe(IReadOnlyList<string> errors) => errors.Count switch
    {
        0 => "Validation failed.",
        1 => errors[0],
        _ => $"{errors.Count} problems: " + string.Join(" ", errors.Select((e, i) => $"({i + 1}) {e}")),
    };
}
