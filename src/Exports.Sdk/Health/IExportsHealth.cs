namespace Exports.Sdk;

/// <summary>
/// Reports the scheduler's and destinations' health, for a host's health endpoint (wrap it in an ASP.NET Core
/// <c>IHealthCheck</c> in a few lines; see docs/operations.md).
/// </summary>
public interface IExportsHealth
{
    /// <summary>Checks the SDK's health.</summary>
    /// <param name="testDestinations">
    /// Also run every configured destination's connection test (writes and removes a probe; slower, so not for every probe).
    /// </param>
    /// <param name="cancellationToken">Cancels the check.</param>
    /// <returns>The report.</returns>
    Task<ExportsHealthReport> CheckAsync(bool testDestinations = false, CancellationToken cancellationToken = default);
}
