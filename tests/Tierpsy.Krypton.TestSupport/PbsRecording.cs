using System.Globalization;
using System.Text.RegularExpressions;

namespace Tierpsy.Krypton.TestSupport;

/// <summary>
/// One real OpenPBS command recorded in <c>tests/fixtures/pbs-recorded/NN_name.txt</c> (its README gives the format):
/// the command, its exit code, and its stdout and stderr, byte for byte.
/// </summary>
public sealed partial record PbsRecording(string Command, int ExitCode, string Stdout, string Stderr)
{
    /// <summary>Reads <c>tests/fixtures/pbs-recorded/&lt;name&gt;.txt</c>.</summary>
    public static PbsRecording Read(string name)
    {
        var text = File.ReadAllText(Path.Combine(Fixtures.Folder("pbs-recorded"), name + ".txt"));
        var command = CommandLine().Match(text).Groups[1].Value;
        var exit = int.Parse(Exit().Match(text).Groups[1].Value, CultureInfo.InvariantCulture);
        return new PbsRecording(command, exit, Section(text, "stdout"), Section(text, "stderr"));
    }

    /// <summary>The bytes between <c>=== name (B bytes) ===</c> and the next section, B of them.</summary>
    private static string Section(string text, string name)
    {
        var header = new Regex($@"=== {name} \((\d+) bytes\) ===\n").Match(text);
        if (!header.Success) throw new InvalidDataException($"The recording has no {name} section.");
        var length = int.Parse(header.Groups[1].Value, CultureInfo.InvariantCulture);
        return text.Substring(header.Index + header.Length, length);
    }

    [GeneratedRegex(@"^# command: (.*)$", RegexOptions.Multiline)]
    private static partial Regex CommandLine();

    [GeneratedRegex(@"^# exit code: (-?\d+)$", RegexOptions.Multiline)]
    private static partial Regex Exit();
}
