using System.Globalization;
using System.Text;
using Tierpsy.Krypton.Text;

namespace Tierpsy.Krypton.Workflow;

/// <summary>What one Monitor round shows, whether as a plain line or as the live view.</summary>
internal sealed record MonitorSnapshot(
    string SubmissionId,
    DateTimeOffset At,
    TimeSpan SinceSubmit,
    IReadOnlyList<TaskProgress> Progress,
    TimeSpan? TimeLeft,
    ProjectLayout Layout
)
{
    /// <summary>How many failed tasks Monitor lists; Verify names every one with its reason.</summary>
    public const int ListedFailures = 10;

    /// <summary>How many tasks are in each phase, in the phases' order, leaving out empty ones.</summary>
    public IEnumerable<(TaskPhase Phase, int Count)> Counts =>
        Enum.GetValues<TaskPhase>()
            .Select(phase => (phase, Progress.Count(p => p.Phase == phase)))
            .Where(x => x.Item2 > 0);

    /// <summary>The running tasks per Tierpsy checkpoint, in the checkpoints' order ("starting" first).</summary>
    public IEnumerable<(string Checkpoint, int Count)> Checkpoints =>
        Progress
            .Where(p => p.Phase == TaskPhase.Running)
            .GroupBy(p => p.Checkpoint ?? "starting")
            .OrderBy(g => g.Key == "starting" ? -1 : Order(g.Key))
            .ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => (g.Key, g.Count()));

    /// <summary>The queued tasks per pending reason the scheduler gives, most common first.</summary>
    public IEnumerable<(string Reason, int Count)> Waits =>
        Progress
            .Where(p => p.Phase == TaskPhase.Queued && p.Waiting is not null)
            .GroupBy(p => p.Waiting!)
            .OrderByDescending(g => g.Count())
            .ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => (g.Key, g.Count()));

    public IReadOnlyList<TaskProgress> Failures =>
        Progress.Where(p => p.Phase is TaskPhase.Failed or TaskPhase.Lost).ToList();

    public IEnumerable<TaskProgress> Cancelled => Progress.Where(p => p.Phase == TaskPhase.Cancelled);

    /// <summary>
    /// "about 1:20:00 left", or "no estimate yet" before a task was seen from start to end, or "all tasks ended".
    /// </summary>
    public string Estimate =>
        TimeLeft switch
        {
            _ when Progress.All(p => p.HasEnded) => "all tasks ended",
            null => "no estimate yet",
            { } left when left < TimeSpan.FromMinutes(1) => "less than a minute left by the tasks seen so far",
            { } left => $"about {DurationText.Clock(left)} left",
        };

    /// <summary>The same round seen later, between polls: the times move on, the tasks stay as they were.</summary>
    public MonitorSnapshot Later(DateTimeOffset now)
    {
        var passed = now - At;
        return this with
        {
            At = now,
            SinceSubmit = SinceSubmit + passed,
            TimeLeft = TimeLeft is { } left ? TimeSpan.FromTicks(Math.Max(0, (left - passed).Ticks)) : null,
        };
    }

    /// <summary>
    /// The counts, checkpoints, waits, cancelled and failed tasks as text: what a plain line prints when it changed.
    /// </summary>
    public string Summary()
    {
        var text = new StringBuilder(
            string.Join(
                " · ",
                Counts.Select(x =>
                    $"{x.Phase} {x.Count}"
                    + x.Phase switch
                    {
                        TaskPhase.Queued when Waits.Any() => $" (waiting: {List(Waits)})",
                        TaskPhase.Running => $" ({List(Checkpoints)})",
                        _ => "",
                    }
                )
            )
        );
        foreach (var cancelled in Cancelled)
            text.Append(CultureInfo.InvariantCulture, $"\n    {CancelledLine(cancelled)}");
        foreach (var failed in Failures.Take(ListedFailures))
            text.Append(CultureInfo.InvariantCulture, $"\n    {FailedLine(failed)}");
        if (MoreFailures > 0)
            text.Append(CultureInfo.InvariantCulture, $"\n    and {MoreFailures} more, see Verify");
        return text.ToString();
    }

    /// <summary>The failed tasks not listed one by one.</summary>
    public int MoreFailures => Math.Max(0, Failures.Count - ListedFailures);

    /// <summary>One plain line: when, which submission, time since Submit, the summary and the estimate.</summary>
    public string PlainLine(string summary) =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"[{At.ToLocalTime():HH:mm:ss}] submission {SubmissionId}, {DurationText.Clock(SinceSubmit)} since Submit"
                + $" ({Estimate}): {summary}"
        );

    public string FailedLine(TaskProgress failed)
    {
        var exit = failed.ExitCode?.ToString(CultureInfo.InvariantCulture) ?? failed.SchedulerState;
        return $"task {failed.Task, 4}  {failed.Phase} (exit {exit}) in {failed.Checkpoint ?? "setup"}  "
            + ShortVideo(failed.Video);
    }

    public string CancelledLine(TaskProgress cancelled)
    {
        var when = cancelled.LogStarted ? " while running" : ", before it started";
        return $"task {cancelled.Task, 4}  Cancelled ({cancelled.SchedulerState}{when})  {ShortVideo(cancelled.Video)}";
    }

    private static string List(IEnumerable<(string Name, int Count)> items) =>
        string.Join(", ", items.Select(i => $"{i.Name} {i.Count}"));

    /// <summary>A checkpoint's place in the TIERPSY sequence; after them, any other analysis type's.</summary>
    private static int Order(string checkpoint) =>
        Enumerable
            .Range(0, Tierpsy.Checkpoints.Tierpsy.Count)
            .FirstOrDefault(i => Tierpsy.Checkpoints.Tierpsy[i] == checkpoint, int.MaxValue);

    private string ShortVideo(string video) => Layout.ShortVideo(video);
}
