using System.Text.RegularExpressions;
using Tierpsy.Krypton.Remote;
using Tierpsy.Krypton.Text;

namespace Tierpsy.Krypton.Workflow;

/// <summary>ONE command that prints the ends of several task logs, and its parser.</summary>
internal static partial class LogTails
{
    /// <summary>Enough of a log to find its last checkpoint marker, traceback or end line.</summary>
    public const int TailBytes = 256 * 1024;

    public static string Command(IEnumerable<string> paths) =>
        $"for f in {string.Join(" ", paths.Select(ShellQuote.Path))}; do printf '\\n=== krypton log %s ===\\n' \"$f\"; tail -c {TailBytes} \"$f\" 2>/dev/null; done; true";

    /// <summary>The text of each log by its path as printed (the remote home already expanded).</summary>
    public static IReadOnlyDictionary<string, string> Parse(string output) => HeadedSections.Split(output, Header());

    [GeneratedRegex(@"\n=== krypton log (.*) ===\n")]
    private static partial Regex Header();
}
