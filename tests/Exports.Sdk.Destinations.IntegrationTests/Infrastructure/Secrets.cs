namespace Exports.Sdk.Destinations.IntegrationTests.Infrastructure;

/// <summary>Asserts that no secret appears in any text a user or an operator could see.</summary>
public static class Secrets
{
    public static void ShouldNotAppearIn(IEnumerable<string> secrets, params string?[] texts)
    {
        foreach (var secret in secrets.Where(s => s.Length > 0))
        {
            foreach (var text in texts)
            {
                (text ?? "").Should().NotContain(secret, "secrets never reach logs, messages or ToString()");
            }
        }
    }

    /// <summary>Everything an exception shows: its ToString (type, message, stack) and those of its inner exceptions.</summary>
    public static string Describe(Exception? exception) => exception?.ToString() ?? "";
}
