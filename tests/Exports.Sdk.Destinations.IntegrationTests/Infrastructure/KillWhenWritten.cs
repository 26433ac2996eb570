namespace Exports.Sdk.Destinations.IntegrationTests.Infrastructure;

/// <summary>Progress that kills a server once the run has written a number of bytes: a crash in the middle of an upload.</summary>
public sealed class KillWhenWritten(PrivateServer server, long bytes) : IProgress<ExportProgress>
{
    private int _killed;

    public bool Killed => Volatile.Read(ref _killed) == 1;

    public void Report(ExportProgress value)
    {
        if (value.BytesWritten >= bytes && Interlocked.Exchange(ref _killed, 1) == 0)
        {
            // Synchronous on purpose: the export continues only once the server is gone.
            server.KillAsync().GetAwaiter().GetResult();
        }
    }
}
