namespace Exports.Sdk;

/// <summary>The caller lacks a permission; nothing was changed.</summary>
public class ExportAccessDeniedException : ExportException
{
    /// <summary>Creates the exception.</summary>
    public ExportAccessDeniedException()
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message.</param>
    public ExportAccessDeniedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public ExportAccessDeniedException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for a missing permission.</summary>
    /// <param name="caller">The caller's name.</param>
    /// <param name="permission">The missing permission.</param>
    /// <param name="operation">What was attempted, e.g. <c>update dataflow 'daily'</c>.</param>
    /// <param name="destination">The destination concerned, if any.</param>
    public ExportAccessDeniedException(string caller, ExportPermission permission, string operation, string? destination)
        : base($"Access denied: '{caller}' cannot {operation}: it needs the {permission} permission" +
            (destination is null ? "." : $" on destination '{destination}'."))
    {
        Permission = permission;
    }

    /// <summary>The missing permission.</summary>
    public ExportPermission? Permission { get; }
}
