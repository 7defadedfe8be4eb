using System.Globalization;
using System.Text;
using Spectre.Console;
using Tierpsy.Krypton.Remote;
using Tierpsy.Krypton.Schedulers;
using Tierpsy.Krypton.Targets;
using Tierpsy.Krypton.Text;

namespace Tierpsy.Krypton.Workflow;

public abstract partial class TierpsyBuild
{
    /// <summary>Time between two Monitor rounds.</summary>
    [Parameter("Time between two Monitor rounds (at least 30s; it grows while nothing changes)")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Print one Monitor snapshot and stop.</summary>
    [Parameter("Monitor: print one snapshot and stop")]
    public bool Once { get; set; }

    /// <summary>The submission to monitor; default the latest.</summary>
    [Parameter("Submission id to monitor (default: the latest, see .krypton/state/submissions/)")]
    public string? SubmissionId { get; set; }

    /// <summary>
    /// Clean, Submit and Verify --resubmit: go on when the scheduler cannot say whether tasks still run. Such a task
    /// that does still run may lose its files (Clean) or run twice at once (Submit).
    /// </summary>
    [Parameter(
        "Clean, Submit, Verify --resubmit: go on when the scheduler cannot say whether tasks still run "
            + "(such a task that does run may then lose its files, or run twice)"
    )]
    public bool IgnoreUnknownTasks { get; set; }

    /// <summary>The clock Monitor waits by (a test's fake clock in tests).</summary>
    private protected virtual TimeProvider Clock => TimeProvider.System;

    /// <summary>
    /// The shortest time between two scheduler queries. Schedulers have been overloaded by tools that poll too often;
    /// a build may lower it for a private test cluster.
    /// </summary>
    protected virtual TimeSpan MinimumPollInterval => TimeSpan.FromSeconds(30);

    /// <summary>Follows the submission until every task has ended.</summary>
    public virtual Target Monitor =>
        _ =>
            _.Description("Follows the submission until every task has ended")
                .After(Submit)
                .Executes(async ct =>
                {
                    var submission = State.Load(SubmissionId)
                        ?? throw new InvalidOperationException(
                            "There is no submission to monitor yet: run Submit first."
                        );
                    var progress = await MonitorAsync(submission, Once, ct);
                    if (progress.All(p => p.Phase == TaskPhase.Lost && p.RoundsUnlisted > 0 && !p.LogStarted))
                        throw new InvalidOperationException(
                            $"The scheduler does not know submission {submission.Id} (job "
                                + $"{string.Join(", ", submission.Arrays.Select(a => a.JobId))}) and none of its "
                                + $"tasks left a log: "
                                + "it was cancelled before it ran, or it is older than the scheduler remembers. There "
                                + "is nothing to monitor; Verify shows what is left to do."
                        );
                    var failed = progress.Count(p => p.Phase is TaskPhase.Failed or TaskPhase.Lost);
                    var cancelled = progress.Count(p => p.Phase == TaskPhase.Cancelled);
                    if (failed + cancelled > 0)
                        throw new InvalidOperationException(
                            $"{failed + cancelled} of {progress.Count} tasks of submission {submission.Id} did not "
                                + $"succeed"
                                + (cancelled > 0 ? $" ({cancelled} cancelled)" : "")
                                + ". Verify names the reason per video; Verify --resubmit submits them again."
                        );
                });

    /// <summary>
    /// Polls until every task has ended (or once): each round is ONE scheduler status command and ONE batched read
    /// of the logs of the tasks that have not ended. A terminal gets a live view; anything else plain lines.
    /// </summary>
    private protected async Task<IReadOnlyList<TaskProgress>> MonitorAsync(
        Submission submission,
        bool once,
        CancellationToken ct
    )
    {
        try
        {
            if (Log.Terminal is { } terminal && !once && !IsDryRun)
                return await terminal
                    .Live(new Markup("Asking the scheduler ..."))
                    .AutoClear(false)
                    .StartAsync(context => WatchAsync(submission, once, new LiveMonitorView(context), ct));
            return await WatchAsync(submission, once, new PlainMonitorView(Log, once), ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            SayJobsKeepRunning(submission);
            throw;
        }
    }

    private async Task<IReadOnlyList<TaskProgress>> WatchAsync(
        Submission submission,
        bool once,
        IMonitorView view,
        CancellationToken ct
    )
    {
        var remote = await ConnectAsync(ct);
        var scheduler = submission.Scheduler.CreateScheduler();
        var layout = await LayoutAsync(ct);
        var schedule = new PollSchedule(PollInterval, MinimumPollInterval, submission.SubmittedAt, Clock.GetUtcNow());
        var estimate = new RunEstimate();
        Dictionary<int, TaskProgress>? previous = null;
        string? lastSummary = null;
        var warned = new HashSet<string>(StringComparer.Ordinal);
        while (true)
        {
            var progress = await PollAsync(remote, scheduler, submission, previous, view, ct);
            WarnOfWaitsThatNeverEnd(progress, warned, view);
            var now = Clock.GetUtcNow();
            estimate.Observe(progress, now);
            var timeLeft = estimate.TimeLeft(progress, now);
            var snapshot = new MonitorSnapshot(
                submission.Id,
                now,
                now - submission.SubmittedAt,
                progress,
                timeLeft,
                layout
            );
            view.Show(snapshot);
            var summary = snapshot.Summary();
            var changed = summary != lastSummary;
            lastSummary = summary;
            previous = progress.ToDictionary(p => p.Task);
            if (once || progress.All(p => p.HasEnded) || IsDryRun)
                return progress;
            await WaitAsync(schedule.Next(Clock.GetUtcNow(), changed, timeLeft), view, ct);
        }
    }

    /// <summary>How often the view hears that time passed while Monitor waits for its next round.</summary>
    private static readonly TimeSpan ViewTick = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Waits until <paramref name="next"/>, telling the view each <see cref="ViewTick"/>. Each step is whole
    /// milliseconds, as Task.Delay counts: a rest under one would return at once, with no time passed.
    /// </summary>
    private async Task WaitAsync(DateTimeOffset next, IMonitorView view, CancellationToken ct)
    {
        while (Clock.GetUtcNow() < next)
        {
            var step = next - Clock.GetUtcNow();
            step = TimeSpan.FromMilliseconds(Math.Ceiling((step < ViewTick ? step : ViewTick).TotalMilliseconds));
            await Task.Delay(step, Clock, ct);
            view.Tick(Clock.GetUtcNow());
        }
    }

    /// <summary>What Ctrl+C stopped, and what did not: the jobs run on without Monitor.</summary>
    private void SayJobsKeepRunning(Submission submission) =>
        Log.Info(
            $"Monitor stopped; the jobs of submission {submission.Id} keep running on the cluster. Look again with "
                + "Monitor, or stop them with Cancel."
        );

    private static async Task<IReadOnlyList<TaskProgress>> PollAsync(
        IRemote remote,
        IScheduler scheduler,
        Submission submission,
        Dictionary<int, TaskProgress>? previous,
        IMonitorView view,
        CancellationToken ct
    )
    {
        IReadOnlyList<SchedulerTask> states;
        try
        {
            states = await StatusAsync(remote, scheduler, submission, ct);
        }
        catch (Exception e) when (e is SchedulerException or RemoteException)
        {
            // A round without an answer says nothing: it must not count towards a task being lost.
            view.Warn($"The scheduler's status is unknown this round: {e.Message}");
            states = submission.Chunks.Unanswered();
        }
        var open = Enumerable
            .Range(1, submission.Videos.Count)
            .Where(t => previous?.GetValueOrDefault(t) is not { HasEnded: true })
            .ToList();
        return MonitorRound.Combine(submission, states, await ReadLogsAsync(remote, submission, open, ct), previous);
    }

    /// <summary>What the scheduler says of every task of the submission: one status command.</summary>
    private static async Task<IReadOnlyList<SchedulerTask>> StatusAsync(
        IRemote remote,
        IScheduler scheduler,
        Submission submission,
        CancellationToken ct
    )
    {
        var status = await remote.RunAsync(scheduler.StatusCommand(submission.Chunks), CommandTimeouts.Query, ct);
        return scheduler.ParseStatus(status, submission.Chunks);
    }

    /// <summary>The ends of these tasks' logs: one batched read, none when there is no task.</summary>
    private static async Task<IReadOnlyDictionary<int, LogReading>> ReadLogsAsync(
        IRemote remote,
        Submission submission,
        IReadOnlyCollection<int> tasks,
        CancellationToken ct
    ) =>
        tasks.Count == 0
            ? new Dictionary<int, LogReading>()
            : LogProbe.Parse(
                (
                    await remote.RunAsync(
                        LogProbe.Command($"{submission.Directory}/logs", tasks),
                        CommandTimeouts.Query,
                        ct
                    )
                ).Output
            );

    /// <summary>
    /// The tasks of this project that may still be queued or running: the scheduler lists them so, or cannot say
    /// (its query failed, or its answer did not cover them), and their logs have no end yet (read only for those;
    /// SLURM lists a task that has just ended as COMPLETING for a moment). Not knowing counts as possibly running:
    /// the callers submit or delete nothing under such a task, unless the user passed --ignore-unknown-tasks.
    /// </summary>
    private async Task<ActiveTasks> ActiveTasksAsync(IRemote remote, CancellationToken ct)
    {
        var active = new List<(Submission, IReadOnlyList<int>, bool)>();
        foreach (var submission in State.All())
        {
            IReadOnlyList<SchedulerTask> states;
            try
            {
                states = await StatusAsync(remote, submission.Scheduler.CreateScheduler(), submission, ct);
            }
            catch (Exception e) when (e is SchedulerException or RemoteException)
            {
                Log.Warning(
                    $"The scheduler cannot say whether submission {submission.Id} still has tasks queued or "
                        + $"running: {e.Message} "
                        + (
                            IgnoreUnknownTasks
                                ? "--ignore-unknown-tasks: they count as ended."
                                : "Its tasks without an end in their logs count as running."
                        )
                );
                states = submission.Chunks.Unanswered();
            }
            var listed = states
                .Where(t =>
                    t.State is SchedulerTaskState.Queued or SchedulerTaskState.Running
                    || (t.State == SchedulerTaskState.Unknown && !IgnoreUnknownTasks)
                )
                .ToList();
            if (listed.Count == 0)
                continue;
            var logs = await ReadLogsAsync(remote, submission, listed.Select(t => t.Task).ToList(), ct);
            var open = listed.Where(t => logs.GetValueOrDefault(t.Task)?.ExitCode is null).ToList();
            if (open.Count > 0)
                active.Add(
                    (
                        submission,
                        open.Select(t => t.Task).ToList(),
                        open.Any(t => t.State == SchedulerTaskState.Unknown)
                    )
                );
        }
        return new ActiveTasks(active);
    }

    /// <summary>Tasks still queued or running, by submission.</summary>
    private sealed record ActiveTasks(
        IReadOnlyList<(Submission Submission, IReadOnlyList<int> Tasks, bool Unknown)> Submissions
    )
    {
        /// <summary>What those tasks work on (videos; days for summaries).</summary>
        public IReadOnlySet<string> Videos { get; } =
            Submissions
                .SelectMany(s => s.Tasks.Select(t => s.Submission.Videos[t - 1]))
                .ToHashSet(StringComparer.Ordinal);

        /// <summary>What the user can do about tasks whose state is unknown; empty when there is none.</summary>
        public string UnknownHint =>
            Submissions.Any(s => s.Unknown)
                ? " If the scheduler stays unable to answer and you know those tasks have ended, "
                    + "--ignore-unknown-tasks "
                    + "goes on without them (a task that does still run may then lose its files, or run twice)."
                : "";

        /// <summary>"submission … (2 tasks, job 123), …".</summary>
        public override string ToString() =>
            string.Join(
                ", ",
                Submissions.Select(a =>
                    $"submission {a.Submission.Id} ({a.Tasks.Count} task{(a.Tasks.Count == 1 ? "" : "s")}"
                    + $"{(a.Unknown ? " whose state the scheduler cannot say" : "")}, "
                    + $"job {string.Join(", ", a.Submission.Arrays.Select(x => x.JobId))})"
                )
            );
    }

    /// <summary>
    /// Warns, once per reason, of queued tasks that wait for something that never comes by waiting (a request larger
    /// than any node, a walltime over the partition's limit), with what to change.
    /// </summary>
    private static void WarnOfWaitsThatNeverEnd(
        IReadOnlyList<TaskProgress> progress,
        HashSet<string> warned,
        IMonitorView view
    )
    {
        foreach (var group in progress.Where(p => p.Waiting is not null).GroupBy(p => p.Waiting!))
            if (PendingReasons.Advice(group.Key) is { } advice && warned.Add(group.Key))
                view.Warn(
                    $"{group.Count()} queued tasks wait for '{group.Key}', which waiting does not resolve: {advice}. "
                        + "Stop them with Cancel, then Submit again with the change."
                );
    }
}
