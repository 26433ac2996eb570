using System.Globalization;

namespace Exports.Sdk.Throughput;

/// <summary>
/// A goal's ratio in each round, beside the ratio of the medians. Runs take turns, so one round's SDK run and anchor ran
/// minutes apart at most; on machines whose speed drifts by tens of percent within the hour, the spread says whether a
/// goal met by the medians was met by a margin or by the noise.
/// </summary>
internal static class RoundRatios
{
    /// <summary>"1.71–2.39×, 2 of 3": the lowest and highest ratio of the rounds, and in how many the target was met.</summary>
    public static string Describe(IReadOnlyCollection<double> ratios, double target)
    {
        if (ratios.Count == 0)
        {
            return "";
        }

        var met = ratios.Count(r => r >= target);
        return string.Create(CultureInfo.InvariantCulture, $"{ratios.Min():F2}–{ratios.Max():F2}×, {met} of {ratios.Count}");
    }
}
