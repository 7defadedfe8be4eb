using Tierpsy.Krypton.Remote;
using Tierpsy.Krypton.Text;

namespace Tierpsy.Krypton.Workflow;

/// <summary>
/// What a day summary made on the cluster (<c>Submit --then-summarize</c>) leaves for a later Summarize:
/// <c>workspace/summaries/&lt;day&gt;.features</c> holds the summarizer's options on its first line, then the day's
/// features files as <c>find</c> listed them when the summary was made. Summarize takes the summary as its own when
/// the options are the same and the features files have not changed since.
/// </summary>
internal static class ClusterSummaryRecord
{
    /// <summary>The record of one day.</summary>
    public static string PathOf(ProjectLayout layout, string day) =>
        RemotePath.Combine(layout.Workspace, "summaries", $"{day}.features");

    /// <summary>The shell line, run after the summarizer succeeded, that writes the day's record.</summary>
    public static string WriteCommand(ProjectLayout layout, string day, string options)
    {
        var record = ShellQuote.Path(PathOf(layout, day));
        var folder = ShellQuote.Path(RemotePath.Combine(layout.Workspace, "summaries"));
        var features = ShellQuote.Word($"Results/{day}");
        return $"mkdir -p {folder} && ( printf '%s\\n' {ShellQuote.Word(options)}; cd {ShellQuote.Path(layout.Root)} "
            + $"&& find {features} -type f -name '*_featuresN.hdf5' -printf {FileListing.FindFormat} ) > {record}";
    }

    /// <summary>One command that prints the records of these days (a day without one prints nothing).</summary>
    public static string ReadCommand(ProjectLayout layout, IEnumerable<string> days) =>
        string.Concat(
            days.Select(d =>
                $"printf '\\n=== krypton summary %s ===\\n' {ShellQuote.Word(d)}; "
                + $"cat -- {ShellQuote.Path(PathOf(layout, d))} 2>/dev/null; "
            )
        ) + "true";

    /// <summary>The records in <see cref="ReadCommand"/>'s output, by day; days without one are left out.</summary>
    public static IReadOnlyDictionary<string, (string Options, IReadOnlyList<RemoteFileInfo> Features)> Parse(
        string output
    )
    {
        var records = new Dictionary<string, (string, IReadOnlyList<RemoteFileInfo>)>(StringComparer.Ordinal);
        foreach (var (day, body) in HeadedSections.Split(output, "=== krypton summary"))
        {
            var newline = body.IndexOf('\n', StringComparison.Ordinal);
            if (newline >= 0)
                records[day] = (body[..newline], FileListing.Parse(body[(newline + 1)..]));
        }
        return records;
    }
}
