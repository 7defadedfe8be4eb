using Spectre.Console;
using Spectre.Console.Rendering;
using Tierpsy.Krypton.Targets;

namespace Tierpsy.Krypton.Workflow;

/// <summary>Where Monitor shows its rounds: plain lines for logs and pipes, a live view on a terminal.</summary>
internal interface IMonitorView
{
    /// <summary>Shows one round.</summary>
    void Show(MonitorSnapshot snapshot);

    /// <summary>
    /// Time passes between two rounds: elapsed times move on (the live view), a heartbeat is due (plain).
    /// </summary>
    void Tick(DateTimeOffset now);

    /// <summary>Shows something the user should act on.</summary>
    void Warn(string message);
}

/// <summary>
/// One line per change, and one at least every <see cref="Heartbeat"/> so a log shows Monitor is still there;
/// no ANSI codes unless the log allows colour.
/// </summary>
internal sealed class PlainMonitorView(BuildLog log, bool everyRound) : IMonitorView
{
    /// <summary>The longest Monitor stays silent: a line at least this often, even when nothing changed.</summary>
    public static readonly TimeSpan Heartbeat = TimeSpan.FromMinutes(10);

    private string? _lastSummary;
    private DateTimeOffset _lastPrinted = DateTimeOffset.MinValue;
    private MonitorSnapshot? _last;

    public void Tick(DateTimeOffset now)
    {
        if (_last is not null && now - _lastPrinted >= Heartbeat)
            Show(_last.Later(now));
    }

    public void Show(MonitorSnapshot snapshot)
    {
        _last = snapshot;
        var summary = snapshot.Summary();
        if (summary != _lastSummary || everyRound || snapshot.At - _lastPrinted >= Heartbeat)
        {
            log.Plain(snapshot.PlainLine(summary));
            _lastPrinted = snapshot.At;
        }
        _lastSummary = summary;
    }

    public void Warn(string message) => log.Warning(message);
}

/// <summary>
/// A Spectre.Console live view redrawn each round: a bar of the tasks by phase, the running tasks per checkpoint, why
/// queued ones wait, the failed ones (ten at most), elapsed time and the estimate. The terminal's colour system
/// decides the colours (none under <c>NO_COLOR</c>).
/// </summary>
internal sealed class LiveMonitorView(LiveDisplayContext context) : IMonitorView
{
    private readonly List<string> _warnings = [];
    private MonitorSnapshot? _last;

    public void Show(MonitorSnapshot snapshot)
    {
        _last = snapshot;
        context.UpdateTarget(Render(snapshot, _warnings));
        context.Refresh();
    }

    public void Tick(DateTimeOffset now)
    {
        if (_last is not null)
            Show(_last.Later(now));
    }

    public void Warn(string message)
    {
        _warnings.Add(message);
        if (_last is not null)
            Show(_last);
    }

    /// <summary>The view of one round, with the warnings so far.</summary>
    public static IRenderable Render(MonitorSnapshot snapshot, IReadOnlyList<string> warnings)
    {
        var rows = new List<IRenderable>
        {
            new Markup(
                $"[bold]Submission {Markup.Escape(snapshot.SubmissionId)}[/] · "
                    + $"{Text.DurationText.Clock(snapshot.SinceSubmit)} since Submit · {snapshot.Estimate}"
            ),
            Bar(snapshot),
        };
        if (snapshot.Checkpoints.Any())
            rows.Add(Line("Running, by checkpoint", snapshot.Checkpoints, "blue"));
        if (snapshot.Waits.Any())
            rows.Add(Line("Queued, waiting for", snapshot.Waits, "grey"));
        foreach (var cancelled in snapshot.Cancelled)
            rows.Add(new Markup($"[yellow]{Markup.Escape(snapshot.CancelledLine(cancelled))}[/]"));
        foreach (var failed in snapshot.Failures.Take(MonitorSnapshot.ListedFailures))
            rows.Add(new Markup($"[red]{Markup.Escape(snapshot.FailedLine(failed))}[/]"));
        if (snapshot.MoreFailures > 0)
            rows.Add(new Markup($"[red]and {snapshot.MoreFailures} more, see Verify[/]"));
        foreach (var warning in warnings)
            rows.Add(new Markup($"[yellow]warning: {Markup.Escape(warning)}[/]"));
        rows.Add(new Markup("[dim]Ctrl+C stops watching; the jobs keep running on the cluster.[/]"));
        return new Rows(rows);
    }

    private static BreakdownChart Bar(MonitorSnapshot snapshot)
    {
        var chart = new BreakdownChart().Width(60);
        foreach (var (phase, count) in snapshot.Counts)
            chart.AddItem(phase.ToString(), count, ColorOf(phase));
        return chart;
    }

    private static Color ColorOf(TaskPhase phase) =>
        phase switch
        {
            TaskPhase.Queued => Color.Grey,
            TaskPhase.Running => Color.Blue,
            TaskPhase.Succeeded => Color.Green,
            TaskPhase.Failed => Color.Red,
            TaskPhase.Lost => Color.Orange1,
            TaskPhase.Cancelled => Color.Yellow,
            _ => Color.Grey50,
        };

    private static Markup Line(string title, IEnumerable<(string Name, int Count)> items, string color) =>
        new($"{title}: " + string.Join(", ", items.Select(i => $"[{color}]{Markup.Escape(i.Name)}[/] {i.Count}")));
}
