using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Tierpsy.Krypton.Remote;
using Tierpsy.Krypton.Text;

namespace Tierpsy.Krypton.Schedulers;

/// <summary>
/// What PBS Pro and Torque share: <c>qsub</c> from the submission folder, ids like <c>1234[].server</c>, <c>qdel</c>.
/// </summary>
internal static partial class Qsub
{
    public static string SubmitCommand(ArrayJob job, ArrayChunk chunk) =>
        $"cd {ShellQuote.Path(job.Directory)} && qsub {ShellQuote.Word(Path.GetFileName(job.ScriptPath(chunk)))}";

    public static string ParseJobId(string output, string example)
    {
        var id = output.Trim().Split('\n')[0].Trim();
        return JobId().IsMatch(id)
            ? id
            : throw new SchedulerException(
                $"qsub printed no job id: '{output.Trim()}'. Expected something like {example}."
            )
            {
                Reason = SchedulerFailure.UnreadableAnswer,
            };
    }

    /// <summary>PBS Pro's and Torque's mail directives (<c>-M</c>, <c>-m</c>), when a mail address is given.</summary>
    public static void AppendMail(StringBuilder script, SiteOptions site)
    {
        if (site.Mail is not { Length: > 0 } mail)
            return;
        script.AppendLine(CultureInfo.InvariantCulture, $"#PBS -M {mail}");
        script.AppendLine(CultureInfo.InvariantCulture, $"#PBS -m {site.PbsMailPoints}");
    }

    public static string CancelCommand(IReadOnlyList<SubmittedChunk> chunks) =>
        "qdel " + string.Join(" ", chunks.Select(c => ShellQuote.Word(c.JobId)));

    [GeneratedRegex(@"^\d+(\[\])?(\.\S+)?$")]
    private static partial Regex JobId();
}
