namespace Exports.Sdk;

/// <summary>The one source of new run ids: time-ordered (UUID v7), so ids sort by start time in any store.</summary>
internal static class RunIds
{
    /// <summary>A new run id for a run starting now.</summary>
    public static string New(TimeProvider timeProvider) => Guid.CreateVersion7(timeProvider.GetUtcNow()).ToString("N");
}
