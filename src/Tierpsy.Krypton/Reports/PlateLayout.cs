using System.Globalization;
using System.Text.RegularExpressions;

namespace Tierpsy.Krypton.Reports;

/// <summary>The 96-well plate (rows A–H, columns 1–12) and the Hydra imgstore names of one plate's cameras.</summary>
internal static partial class PlateLayout
{
    public static readonly IReadOnlyList<char> Rows = "ABCDEFGH".ToCharArray();
    public const int Columns = 12;

    /// <summary>Every well name in reading order: A1 … A12, B1 … H12.</summary>
    public static IEnumerable<string> Wells =>
        Rows.SelectMany(r =>
            Enumerable.Range(1, Columns).Select(c => string.Create(CultureInfo.InvariantCulture, $"{r}{c}"))
        );

    /// <summary>
    /// A Hydra imgstore's plate and camera: <c>plate_run1_20210504_120000.22956818</c> is plate
    /// <c>plate_run1_20210504_120000</c>, camera <c>22956818</c>; null for a name without a camera serial.
    /// </summary>
    public static (string Plate, string Serial)? Camera(string imgstore) =>
        Imgstore().Match(imgstore) is { Success: true } m ? (m.Groups[1].Value, m.Groups[2].Value) : null;

    [GeneratedRegex(@"^(.+)\.(\d{6,})$")]
    private static partial Regex Imgstore();
}
