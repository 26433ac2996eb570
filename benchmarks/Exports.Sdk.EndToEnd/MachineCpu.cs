using System.Globalization;

namespace Exports.Sdk.EndToEnd;

/// <summary>
/// The CPU time the whole machine has been busy (user, nice, system, irq and softirq of every core, from /proc/stat), so
/// a run's cost counts the database, sshd and fauxqs beside the SDK or the script: they share the same cores. Time
/// stolen by the hypervisor is not counted.
/// </summary>
public static class MachineCpu
{
    /// <summary>Seconds of busy CPU since boot, over all cores.</summary>
    public static double BusySeconds()
    {
        // "cpu  user nice system idle iowait irq softirq steal …", in clock ticks of 1/100 s (USER_HZ on Linux).
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        long Ticks(int i) => long.Parse(fields[i], CultureInfo.InvariantCulture);
        return (Ticks(1) + Ticks(2) + Ticks(3) + Ticks(6) + Ticks(7)) / 100.0;
    }
}
