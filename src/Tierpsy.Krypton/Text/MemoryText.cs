using System.Globalization;
using System.Text.RegularExpressions;

namespace Tierpsy.Krypton.Text;

/// <summary>
/// Memory amounts as PBS writes them (<c>16gb</c>, <c>500mb</c>, <c>2G</c>; a plain number is bytes): read into bytes
/// and written back, so a request can be scaled.
/// </summary>
internal static partial class MemoryText
{
    private const long Mebibyte = 1L << 20;
    private const long Gibibyte = 1L << 30;

    /// <summary>The bytes of an amount; null for one it cannot read (words, a typo).</summary>
    public static long? Parse(string? text)
    {
        if (text is null || Amount().Match(text.Trim()) is not { Success: true } m)
            return null;
        var number = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        var unit = m.Groups[2].Value.ToLowerInvariant().TrimEnd('b') switch
        {
            "" => 1L,
            "k" => 1L << 10,
            "m" => Mebibyte,
            "g" => Gibibyte,
            "t" => 1L << 40,
            _ => 0L,
        };
        return unit == 0 ? null : (long)Math.Ceiling(number * unit);
    }

    /// <summary>Bytes as PBS writes them: whole gibibytes as <c>32gb</c>, anything else in mebibytes.</summary>
    public static string Format(long bytes) =>
        bytes % Gibibyte == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{bytes / Gibibyte}gb")
            : string.Create(CultureInfo.InvariantCulture, $"{(bytes + Mebibyte - 1) / Mebibyte}mb");

    [GeneratedRegex(@"^(\d+(?:\.\d+)?)\s*([kKmMgGtT]?[bB]?)$")]
    private static partial Regex Amount();
}
