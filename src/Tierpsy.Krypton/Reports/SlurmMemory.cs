using System.Globalization;

namespace Tierpsy.Krypton.Reports;

/// <summary>
/// The most memory each array task used, from <c>sacct -n -P -o JobID,MaxRSS</c>: SLURM records it on the task's
/// steps (<c>24_3.batch|10240K</c>), where accounting is on. No recording of a SLURM with accounting backs this
/// reader: the format is sacct(1)'s (a number with K, M, G or T in 1024s).
/// </summary>
internal static class SlurmMemory
{
    public static string Command(IEnumerable<string> jobIds) =>
        $"sacct -n -P -j {string.Join(",", jobIds)} -o JobID,MaxRSS";

    /// <summary>The largest MaxRSS of each (array job id, index).</summary>
    public static IReadOnlyDictionary<(string JobId, int Index), long> Parse(string output)
    {
        var used = new Dictionary<(string, int), long>();
        foreach (var line in output.Split('\n'))
        {
            var f = line.Trim().Split('|');
            if (f.Length != 2 || Bytes(f[1]) is not { } bytes)
                continue;
            var id = f[0].Split('.')[0];
            var underscore = id.IndexOf('_', StringComparison.Ordinal);
            if (
                underscore < 0
                || !int.TryParse(id[(underscore + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var index)
            )
                continue;
            var key = (id[..underscore], index);
            used[key] = Math.Max(used.GetValueOrDefault(key), bytes);
        }
        return used;
    }

    private static long? Bytes(string text)
    {
        if (text.Length == 0)
            return null;
        var unit = char.ToUpperInvariant(text[^1]) switch
        {
            'K' => 1L << 10,
            'M' => 1L << 20,
            'G' => 1L << 30,
            'T' => 1L << 40,
            _ => 1L,
        };
        var number = unit == 1 ? text : text[..^1];
        return double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var v)
            ? (long)(v * unit)
            : null;
    }
}
