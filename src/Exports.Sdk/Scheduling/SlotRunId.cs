using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Exports.Sdk;

/// <summary>
/// The run id of a schedule occurrence: the same for every attempt at that slot, so a retry writes the same file and
/// manifest names (replacing what a failed attempt left) and is recorded once.
/// </summary>
public static class SlotRunId
{
    /// <summary>Returns the run id of an occurrence, e.g. <c>20261201T0200Z-3f2a9c0d41b7e6a5</c>.</summary>
    /// <param name="dataflowId">The dataflow id.</param>
    /// <param name="audienceId">The audience id.</param>
    /// <param name="slot">The occurrence time.</param>
    /// <returns>The run id.</returns>
    public static string For(string dataflowId, string audienceId, DateTimeOffset slot)
    {
        var utc = slot.ToUniversalTime();
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{dataflowId}\n{audienceId}\n{utc.UtcTicks.ToString(CultureInfo.InvariantCulture)}"));
        return utc.ToString("yyyyMMdd'T'HHmm'Z'", CultureInfo.InvariantCulture) + "-" + Convert.ToHexStringLower(hash)[..16];
    }
}
