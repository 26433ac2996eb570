namespace Exports.Sdk;

/// <summary>The outcome of <see cref="IDestination.TestConnectionAsync"/>.</summary>
/// <param name="Succeeded">Whether the destination accepted a write (and its removal).</param>
/// <param name="Message">What was checked, or what failed. Never contains secrets.</param>
public sealed record ConnectionTestResult(bool Succeeded, string Message)
{
    /// <summary>When the check failed for lack of a permission, the permission that is missing (e.g. <c>s3:PutObject</c>).</summary>
    public string? MissingPermission { get; init; }

    /// <summary>A successful result.</summary>
    /// <param name="message">What was checked.</param>
    /// <returns>The result.</returns>
    public static ConnectionTestResult Success(string message) => new(true, message);

    /// <summary>A failed result.</summary>
    /// <param name="message">What failed.</param>
    /// <param name="missingPermission">The missing permission, when known.</param>
    /// <returns>The result.</returns>
    public static ConnectionTestResult Failure(string message, string? missingPermission = null) =>
        new(false, message) { MissingPermission = missingPermission };
}
