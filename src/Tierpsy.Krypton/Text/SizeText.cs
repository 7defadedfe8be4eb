using System.Globalization;

namespace Tierpsy.Krypton.Text;

/// <summary>Byte counts as people read them: <c>512 B</c>, <c>3.2 MiB</c>, <c>1.0 GiB</c>.</summary>
internal static class SizeText
{
    /// <summary><c>1.5 GiB</c>, <c>3.2 MiB</c>, <c>12.0 KiB</c> or <c>512 B</c>.</summary>
    public static string Format(long bytes) =>
        bytes switch
        {
            >= 1L << 30 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 30):0.0} GiB"),
            >= 1L << 20 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 20):0.0} MiB"),
            >= 1L << 10 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.0} KiB"),
            _ => $"{bytes} B",
        };
}
