using System.Globalization;
using Tierpsy.Krypton.Text;

namespace Tierpsy.Krypton.Remote;

/// <summary>The free space of a cluster folder's file system: one <c>df -Pk</c> line, and its parser.</summary>
internal static class FreeSpace
{
    /// <summary>Prints the POSIX <c>df</c> line of the file system that holds <paramref name="folder"/>.</summary>
    public static string Command(string folder) => $"df -Pk -- {ShellQuote.Path(folder)} | tail -n 1";

    /// <summary>The free bytes in that line (its fourth field, in KiB); null when it is not such a line.</summary>
    public static long? Parse(CommandResult result)
    {
        var fields = result.Output.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        return
            result.ExitCode == 0
            && fields.Length >= 4
            && long.TryParse(fields[3], NumberStyles.None, CultureInfo.InvariantCulture, out var kib)
            ? kib * 1024
            : null;
    }
}
