using System.Globalization;
using System.Text.RegularExpressions;

namespace Tierpsy.Krypton.Text;

/// <summary>
/// Reads and writes durations as schedulers and people write them: <c>30:00:00</c>, <c>1-06:00:00</c>, <c>90m</c>,
/// <c>1h30m</c>.
/// </summary>
internal static partial class DurationText
{
    /// <summary>
    /// Parses <c>H:MM:SS</c> and <c>D-H:MM[:SS]</c> (hours may exceed 23) or units <c>d h m s</c> (<c>90m</c>,
    /// <c>1h30m</c>, <c>45s</c>). Two parts without days (<c>1:30</c>) are refused: sbatch and qsub read them as
    /// minutes:seconds, a person often as hours:minutes (<see cref="IsAmbiguous"/>).
    /// </summary>
    public static bool TryParse(string text, out TimeSpan value)
    {
        value = default;
        var s = text.Trim();
        if (IsAmbiguous(s))
            return false;
        if (Clock().Match(s) is { Success: true } c)
        {
            var days = c.Groups["d"].Success ? long.Parse(c.Groups["d"].Value, CultureInfo.InvariantCulture) : 0;
            var hours = long.Parse(c.Groups["h"].Value, CultureInfo.InvariantCulture);
            var minutes = int.Parse(c.Groups["m"].Value, CultureInfo.InvariantCulture);
            var seconds = c.Groups["s"].Success ? int.Parse(c.Groups["s"].Value, CultureInfo.InvariantCulture) : 0;
            if (minutes > 59 || seconds > 59)
                return false;
            value =
                TimeSpan.FromDays(days)
                + TimeSpan.FromHours(hours)
                + TimeSpan.FromMinutes(minutes)
                + TimeSpan.FromSeconds(seconds);
            return true;
        }
        var units = Units().Match(s);
        if (!units.Success || s.Length == 0)
            return false;
        double Part(string g) =>
            units.Groups[g].Success ? double.Parse(units.Groups[g].Value, CultureInfo.InvariantCulture) : 0;
        value =
            TimeSpan.FromDays(Part("d"))
            + TimeSpan.FromHours(Part("h"))
            + TimeSpan.FromMinutes(Part("m"))
            + TimeSpan.FromSeconds(Part("s"));
        return true;
    }

    /// <summary>Whether the text is a two-part clock form without days, such as <c>1:30</c>.</summary>
    public static bool IsAmbiguous(string text) => TwoParts().IsMatch(text.Trim());

    /// <summary>
    /// Formats as <c>H:MM:SS</c> with unbounded hours, the form PBS and SLURM accept (<c>30:00:00</c>).
    /// </summary>
    public static string Format(TimeSpan value) =>
        string.Create(CultureInfo.InvariantCulture, $"{(long)value.TotalHours}:{value.Minutes:00}:{value.Seconds:00}");

    [GeneratedRegex(@"^(?:(?<d>\d+)-)?(?<h>\d+):(?<m>\d{1,2})(?::(?<s>\d{1,2}))?$")]
    private static partial Regex Clock();

    [GeneratedRegex(@"^\d+:\d{1,2}$")]
    private static partial Regex TwoParts();

    [GeneratedRegex(
        @"^(?:(?<d>\d+(?:\.\d+)?)d)?(?:(?<h>\d+(?:\.\d+)?)h)?(?:(?<m>\d+(?:\.\d+)?)m)?(?:(?<s>\d+(?:\.\d+)?)s)?$"
    )]
    private static partial Regex Units();

    /// <summary>A clock reading of a span: <c>0:07</c>, <c>12:30</c>, <c>1:02:03</c>.</summary>
    public static string Clock(TimeSpan duration) =>
        duration.TotalHours >= 1
            ? $"{(int)duration.TotalHours}:{duration.Minutes:00}:{duration.Seconds:00}"
            : $"{duration.Minutes}:{duration.Seconds:00}";
}
