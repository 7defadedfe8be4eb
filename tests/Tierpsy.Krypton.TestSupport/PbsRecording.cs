using System.Globalization;
using System.Text.RegularExpressions;

namespace Tierpsy.Krypton.TestSupport;

/// <summary>
/// One real OpenPBS command recorded in <c>tests/fixtures/pbs-recorded/NN_name.txt</c> (its README gives the format):
/// the command, its exit code, and its stdout and stderr, byte for byte.
/// </summary>
public sealed partial record PbsRecording(string Command, int ExitCode, string Stdout, string Stderr)
{
    /// <summary>
    /// Reads <c>tests/fixtures/pbs-recorded/&lt;name&gt;.txt</c>; stdout from <c>&lt;name&gt;.stdout</c>, byte for
    /// byte (the byte counts in the .txt headers predate the change of the user's name to jdoe).
    /// </summary>
    public static PbsRecording Read(string name)
    {
        var folder = Fixtures.Folder("pbs-recorded");
        var text = File.ReadAllText(Path.Combine(folder, name + ".txt"));
        var command = CommandLine().Match(text).Groups[1].Value;
        var exit = int.Parse(Exit().Match(text).Groups[1].Value, CultureInfo.InvariantCulture);
        var stdoutFile = Path.Combine(folder, name + ".stdout");
        var stdout = File.Exists(stdoutFile) ? File.ReadAllText(stdoutFile) : Between(text, "stdout", "=== stderr (");
        return new PbsRecording(command, exit, stdout, Between(text, "stderr", "=== end ==="));
    }

    /// <summary>
    /// The text after <c>=== name (B bytes) ===</c> up to the line that starts with <paramref name="next"/>.
    /// </summary>
    private static string Between(string text, string name, string next)
    {
        var header = new Regex($@"=== {name} \(\d+ bytes\) ===\n").Match(text);
        if (!header.Success)
            throw new InvalidDataException($"The recording has no {name} section.");
        var start = header.Index + header.Length;
        var end = text.IndexOf("\n" + next, start - 1, StringComparison.Ordinal);
        return end < start ? "" : text[start..(end + 1)];
    }

    [GeneratedRegex(@"^# command: (.*)$", RegexOptions.Multiline)]
    private static partial Regex CommandLine();

    [GeneratedRegex(@"^# exit code: (-?\d+)$", RegexOptions.Multiline)]
    private static partial Regex Exit();
}
