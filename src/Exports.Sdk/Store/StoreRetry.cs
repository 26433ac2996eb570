namespace Exports.Sdk;

/// <summary>
/// Retries a store write that must outlive a moment's outage (a run's outcome, a slot's new watermark): four attempts
/// over about 3.5 s. Not cancellable: the work it records is done.
/// </summary>
internal static class StoreRetry
{
    private const int Attempts = 4;

    /// <summary>Writes; returns null once a write succeeded, or the last error when none did.</summary>
    public static async Task<Exception?> WriteAsync(Func<Task> write, TimeProvider time, Action<Exception>? failed = null)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await write().ConfigureAwait(false);
                return null;
            }
            catch (Exception ex)
            {
                failed?.Invoke(ex);
                // A conflict is an answer, not an outage: trying again cannot change it.
                if (attempt == Attempts || ex is ExportConcurrencyException)
                {
                    return ex;
                }
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250 << attempt), time, CancellationToken.None).ConfigureAwait(false);
        }
    }
}
