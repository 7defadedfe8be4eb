using System.Globalization;
using System.Text.RegularExpressions;

namespace Tierpsy.Krypton.Tierpsy;

/// <summary>
/// Reads the stdout of <c>tierpsy_process --only_summary --is_debug</c>. Blocks are found by their headings and
/// counts by their labels, never by position; anything that does not add up is an error, never a task list.
/// </summary>
internal static partial class ListingParser
{
    private const string Separator = "*********************************************"; // 45 asterisks

    private static readonly (string Label, string Name)[] CountLabels =
    [
        ("Unprocessed files.", "unprocessed"),
        ("Files whose analysis is incompleted.", "incomplete"),
        ("Invalid source files.", "invalid"),
        ("Files that were succesfully finished.", "finished"), // sic
        ("Total files to be processed.", "total"),
    ];

    /// <summary>Parses one listing run.</summary>
    /// <exception cref="ListingException">
    /// The listing crashed, matched no video, or its output is inconsistent.</exception>
    public static ListingResult Parse(string stdout, string stderr = "", int exitCode = 0)
    {
        if (exitCode != 0 || string.IsNullOrWhiteSpace(stdout))
        {
            var (reason, message) = DescribeFailure(stderr, exitCode);
            throw new ListingException(reason, message);
        }

        var lines = stdout.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var summary = Array.IndexOf(lines, "Analysis Summary");
        if (summary < 0)
            throw new ListingException(
                ListingFailure.UnknownFormat,
                "The listing printed no 'Analysis Summary' block, so it is not the output of "
                    + "'tierpsy_process --only_summary'. Nothing was submitted."
            );

        var counts = new Dictionary<string, int>();
        var end = summary;
        for (var i = summary + 1; i < lines.Length; i++)
        {
            if (CountLine().Match(lines[i]) is not { Success: true } m)
                continue;
            if (CountLabels.FirstOrDefault(c => c.Label == m.Groups[2].Value) is { Name: { } name })
            {
                counts[name] = int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
                end = i;
            }
        }
        foreach (var (label, name) in CountLabels)
            if (!counts.ContainsKey(name))
                throw new ListingException(
                    ListingFailure.UnknownFormat,
                    $"The listing's summary has no line '<count><TAB>{label}'. "
                        + "This Tierpsy version prints a format we do not know; nothing was submitted."
                );

        var result = new ListingResult
        {
            Unprocessed = counts["unprocessed"],
            Incomplete = counts["incomplete"],
            Invalid = counts["invalid"],
            Finished = counts["finished"],
            Tasks = ReadCommands(lines),
            Unmet = lines
                .Skip(end + 1)
                .Select(l => UnmetLine().Match(l))
                .Where(m => m.Success)
                .Select(m => (m.Groups[1].Value, m.Groups[2].Value))
                .ToList(),
        };

        if (result.Unprocessed + result.Incomplete + result.Invalid + result.Finished == 0)
            throw new ListingException(
                ListingFailure.NoVideoMatched,
                "The listing matched no video. Check the pattern (Hydra imgstores need *.yaml) and that RawVideos/ "
                    + "on the cluster holds the videos (Stage copies them there)."
            );
        if (counts["total"] != result.ToProcess)
            throw new ListingException(
                ListingFailure.Inconsistent,
                $"The listing is inconsistent: {counts["total"]} files to be processed, but {result.Unprocessed} "
                    + $"unprocessed + {result.Incomplete} incomplete. Nothing was submitted; run ListFiles again."
            );
        if (result.Tasks.Count != result.ToProcess)
            throw new ListingException(
                ListingFailure.Inconsistent,
                $"The listing is inconsistent: {result.ToProcess} files to be processed, but {result.Tasks.Count} "
                    + "command lines. Was it run without --is_debug? Nothing was submitted."
            );
        return result;
    }

    private static List<TierpsyTask> ReadCommands(string[] lines)
    {
        var heading = Array.IndexOf(lines, "Commands to be executed.");
        if (heading < 0 || heading + 1 >= lines.Length || lines[heading + 1] != Separator)
            return [];
        var tasks = new List<TierpsyTask>();
        for (var i = heading + 2; i < lines.Length && lines[i] != Separator; i++)
        {
            if (lines[i].Length == 0)
                continue;
            var words = SplitCommand(lines[i]);
            if (words.Count < 3 || !words.Contains("--masks_dir") || !words.Contains("--results_dir"))
                throw new ListingException(
                    ListingFailure.Inconsistent,
                    $"Cannot read this command line of the listing: {lines[i]}\n"
                        + "Tierpsy does not escape quotes, so a path with a single quote (') breaks it: "
                        + "rename that video or folder."
                );
            tasks.Add(new TierpsyTask(words));
        }
        return tasks;
    }

    /// <summary>
    /// Splits a command as Tierpsy prints it: words separated by spaces, quoted words in '…' with no escapes.
    /// </summary>
    internal static List<string> SplitCommand(string line)
    {
        var words = new List<string>();
        var i = 0;
        while (i < line.Length)
        {
            if (line[i] == ' ')
            {
                i++;
                continue;
            }
            if (line[i] == '\'')
            {
                // The closing quote is the next one followed by a space or the end of the line.
                var close = i + 1;
                while (
                    close < line.Length
                    && !(line[close] == '\'' && (close + 1 == line.Length || line[close + 1] == ' '))
                )
                    close++;
                if (close >= line.Length)
                    throw new ListingException(
                        ListingFailure.Inconsistent,
                        $"Unbalanced quote in the listing's command line: {line}"
                    );
                words.Add(line[(i + 1)..close]);
                i = close + 1;
            }
            else
            {
                var space = line.IndexOf(' ', i);
                if (space < 0)
                    space = line.Length;
                words.Add(line[i..space]);
                i = space;
            }
        }
        return words;
    }

    private static (ListingFailure, string) DescribeFailure(string stderr, int exitCode)
    {
        var errorLines = stderr
            .Replace("\r\n", "\n", StringComparison.Ordinal)
            .Split('\n')
            .Where(l => l.Trim().Length > 0)
            .ToList();
        var last = errorLines.LastOrDefault(l => !l.StartsWith(' ')) ?? "";
        if (
            exitCode == 127
            || stderr.Contains("tierpsy_process: command not found", StringComparison.Ordinal)
            || stderr.Contains("tierpsy_process: not found", StringComparison.Ordinal)
        )
            return (
                ListingFailure.TierpsyNotFound,
                "tierpsy_process was not found on the cluster. The TierpsySetup lines must make it available "
                    + "(for example 'module load Anaconda3' and 'source activate tierpsy'); "
                    + "check them in .krypton/parameters.json."
            );
        if (InvalidParameter().Match(stderr) is { Success: true } bad)
            return (
                ListingFailure.ParameterFileRejected,
                "The parameter file does not match the Tierpsy version on the cluster: "
                    + $"Tierpsy rejects the key \"{bad.Groups[1].Value}\". Use a parameter file made for that version "
                    + "(--params-file), or update Tierpsy there. Retrying will not help; nothing was submitted."
            );
        if (MissingModule().Match(stderr) is { Success: true } module)
            return (
                ListingFailure.ModuleMissing,
                $"Tierpsy on the cluster cannot import the Python module '{module.Groups[1].Value}'. The environment "
                    + "set up by the TierpsySetup lines lacks it; install it there. Nothing was submitted."
            );
        if (MissingFolder().Match(stderr) is { Success: true } folder)
            return (
                ListingFailure.FolderMissing,
                $"The folder {folder.Groups[1].Value} does not exist on the cluster, "
                    + "and Tierpsy stops on a missing folder. "
                    + "Stage creates RawVideos/ when it copies the videos there. Nothing was submitted."
            );
        if (exitCode == 0)
            return (
                ListingFailure.NoOutput,
                "The listing printed nothing. Nothing was submitted; run ListFiles again, and check the TierpsySetup "
                    + "lines if it happens again."
            );
        return (
            ListingFailure.Crashed,
            $"The listing failed with exit code {exitCode}"
                + (last.Length > 0 ? $": {last}" : " and printed no error.")
                + " Nothing was submitted."
        );
    }

    [GeneratedRegex(@"^(\d+)\t(.+)$")]
    private static partial Regex CountLine();

    [GeneratedRegex(@"^(\w+) : (.+)$")]
    private static partial Regex UnmetLine();

    [GeneratedRegex(@"ValueError: Parameter ""([^""]+)"" is not a valid parameter")]
    private static partial Regex InvalidParameter();

    [GeneratedRegex(@"ModuleNotFoundError: No module named '([^']+)'")]
    private static partial Regex MissingModule();

    [GeneratedRegex(@"FileNotFoundError: \[Errno 2\] No such file or directory: '([^'\n]*)'")]
    private static partial Regex MissingFolder();
}
