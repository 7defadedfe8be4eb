using Tierpsy.Krypton.Remote;
using Tierpsy.Krypton.Schedulers;
using Tierpsy.Krypton.Targets;
using Tierpsy.Krypton.Text;
using Tierpsy.Krypton.Tierpsy;
using Tierpsy.Krypton.Transfer;

namespace Tierpsy.Krypton.Workflow;

public abstract partial class TierpsyBuild
{
    /// <summary>Verify: submit the videos that are not finished again.</summary>
    [Parameter("Verify: submit the videos that are not finished again")]
    public bool Resubmit { get; set; }

    /// <summary>
    /// Verify --resubmit: delete the resubmitted videos' files in Tierpsy's Tmp/ first, so each starts over instead of
    /// resuming.
    /// </summary>
    [Parameter(
        "Verify --resubmit: delete the resubmitted videos' files in Tierpsy's Tmp/ first, so each starts over instead "
            + "of resuming from them"
    )]
    public bool FreshTmp { get; set; }

    /// <summary>A video is submitted at most this many times.</summary>
    [Parameter("A video is submitted at most this many times", Minimum = 1)]
    public int MaxAttempts { get; set; } = 3;

    /// <summary>
    /// Verify --resubmit: a video killed at the walltime or the memory limit asks for this many times as much.
    /// </summary>
    [Parameter(
        "Verify --resubmit: a video killed at the walltime or memory limit asks for this many times as much",
        Minimum = 1
    )]
    public double RetryScale { get; set; } = 2;

    /// <summary>Verify --resubmit: the longest walltime a raised retry asks for; empty for no cap.</summary>
    [Parameter("Verify --resubmit: the longest walltime a raised retry asks for (empty: no cap)")]
    public TimeSpan? MaxWalltime { get; set; }

    /// <summary>Verify --resubmit: the most memory a raised retry asks for (<c>64gb</c>); empty for no cap.</summary>
    [Parameter("Verify --resubmit: the most memory a raised retry asks for, e.g. 64gb (empty: no cap)")]
    public string? MaxMemory { get; set; }

    /// <summary>Lists again: succeeds when no video is left; --resubmit retries the failed ones.</summary>
    /// <remarks>
    /// Exit code 0 when every video is finished (invalid ones are named as a warning: they never will be), or when
    /// --resubmit submitted the unfinished ones; 1 when videos are left and nothing was submitted.
    /// </remarks>
    public virtual Target Verify =>
        _ =>
            _.Description("Lists again: succeeds when no video is left; --resubmit retries the failed ones")
                .After(Monitor)
                .Executes(async ct =>
                {
                    if (FreshTmp && NoTmp)
                        throw new ArgumentException(
                            "--fresh-tmp deletes the resubmitted videos' files in Tierpsy's temporary folder, but "
                                + "--no-tmp runs Tierpsy without one: drop one of the two."
                        );
                    if (FreshTmp && !Resubmit)
                        throw new ArgumentException(
                            "--fresh-tmp deletes the temporary files of the videos Verify resubmits: use it with "
                                + "--resubmit."
                        );
                    var listing = await ListAsync(ct, unmet: true);
                    if (listing is null)
                        return; // dry run
                    var layout = await LayoutAsync(ct);
                    ReportInvalid(listing, layout);
                    if (listing.ToProcess == 0)
                    {
                        var invalid =
                            listing.Invalid > 0
                                ? $"; {listing.Invalid} invalid ones cannot be processed (see above)"
                                : "";
                        Log.Success($"Verified: all {listing.Finished} videos are finished{invalid}.");
                        return;
                    }

                    var runs = await RunsAsync(listing.Tasks, ct);
                    Log.Plain(
                        $"{listing.ToProcess} of {listing.ToProcess + listing.Finished} videos are not finished:"
                    );
                    foreach (var task in listing.Tasks)
                        Log.Plain($"  {layout.ShortVideo(task.Video)}\n      {runs[task.Video].Reason}");
                    var notStarted = listing.Tasks.Count(t => runs[t.Video].Report?.Outcome == TaskOutcome.NotStarted);
                    if (notStarted > 0)
                        Log.Warning(
                            $"{notStarted} videos' tasks ended before Tierpsy started (see the first error "
                                + "line above). Resubmitting them fails the same way: run Doctor, fix what it reports "
                                + "(often the TierpsySetup lines or the conda environment), then Verify --resubmit."
                        );

                    var repeated = listing.Tasks.Count(t => runs[t.Video].Started >= 2);
                    if (repeated > 0 && !FreshTmp)
                        Log.Warning(
                            $"{repeated} videos have failed more than once. If one fails the same way each time, a "
                                + $"file in Tierpsy's Tmp/ cut short by a killed task may be the cause: Verify "
                                + $"--resubmit --fresh-tmp deletes the resubmitted videos' temporary files so "
                                + $"they start over."
                        );
                    if (!Resubmit)
                        throw new InvalidOperationException(
                            notStarted == listing.ToProcess
                                ? $"{listing.ToProcess} videos are not finished, and none of their tasks got as far "
                                    + $"as starting "
                                    + "Tierpsy: run Doctor first."
                                : $"{listing.ToProcess} videos are not finished. Verify --resubmit submits them again "
                                    + $"(at most {MaxAttempts} attempts each)."
                        );

                    // A video whose task still runs is not resubmitted: it would run twice at once, both runs writing
                    // its files in Tmp/.
                    var active = await ActiveTasksAsync(await ConnectAsync(ct), ct);
                    var running = listing.Tasks.Where(t => active.Videos.Contains(t.Video)).ToList();
                    if (running.Count > 0)
                        Log.Warning(
                            $"{running.Count} videos still have a task queued or running ({active}): not "
                                + "resubmitted; Monitor follows them."
                                + active.UnknownHint
                        );
                    var eligible = listing
                        .Tasks.Except(running)
                        .Where(t => runs[t.Video].Started < MaxAttempts)
                        .ToList();
                    foreach (var given in listing.Tasks.Except(running).Except(eligible))
                        Log.Warning($"Not resubmitted, {MaxAttempts} attempts used: {layout.ShortVideo(given.Video)}");
                    if (FreshTmp && eligible.Count > 0)
                        await DeleteTemporaryFilesAsync(eligible, layout, ct);
                    var resubmitted = await ResubmitAsync(eligible, runs, ct);
                    if (resubmitted.Count > 0)
                    {
                        Log.Success(
                            $"Resubmitted {eligible.Count} videos as submission "
                                + $"{string.Join(", ", resubmitted.Select(r => r.Id))}. Run Monitor, then Verify again."
                        );
                        return;
                    }
                    var others =
                        running.Count < listing.Tasks.Count
                            ? $"; the others have used their {MaxAttempts} attempts"
                            : "";
                    throw new InvalidOperationException(
                        running.Count > 0
                            ? $"Nothing was resubmitted: {running.Count} videos still have a task queued or running "
                                + $"(wait for them with Monitor, then Verify again){others}."
                            : $"Nothing was resubmitted: every unfinished video has used its {MaxAttempts} attempts "
                                + "(raise --max-attempts to try again)."
                    );
                });

    /// <summary>
    /// Submits the videos again, those killed at a limit asking for more (<see cref="RetryResources"/>): one
    /// submission per set of resources, each said; none in a dry run.
    /// </summary>
    private async Task<IReadOnlyList<Submission>> ResubmitAsync(
        IReadOnlyList<TierpsyTask> eligible,
        IReadOnlyDictionary<string, VideoRuns> runs,
        CancellationToken ct
    )
    {
        if (eligible.Count == 0)
            return [];
        if (MaxMemory is { Length: > 0 } max && MemoryText.Parse(max) is null)
            throw new ArgumentException($"--max-memory '{max}' is not an amount like 64gb or 64000mb.");
        var candidates = eligible
            .Select(t => new RetryCandidate(
                t,
                runs[t.Video].Cause,
                runs[t.Video].Latest?.Submission.Walltime,
                runs[t.Video].Latest?.Submission.Memory
            ))
            .ToList();
        var (groups, notes) = RetryResources.Plan(
            candidates,
            RequestedResources,
            new RetryLimits(RetryScale, MaxWalltime, MaxMemory)
        );
        foreach (var note in notes)
            Log.Info(note);
        var submitted = new List<Submission>();
        foreach (var group in groups)
            if (await SubmitAsync(group.Tasks, ct, group.Resources) is { } submission)
                submitted.Add(submission);
        return submitted;
    }

    /// <summary>Names each invalid video with the requirement Tierpsy finds unmet: never resubmitted.</summary>
    private void ReportInvalid(ListingResult listing, ProjectLayout layout)
    {
        if (listing.Invalid == 0)
            return;
        var lines = listing.Unmet.Select(u =>
            $"\n  {layout.ShortVideo(u.Path)}\n      {UnmetRequirement(u.Requirement)}"
        );
        Log.Warning(
            $"{listing.Invalid} videos are invalid: Tierpsy cannot process them, so they are never "
                + "resubmitted. Replace or remove them:"
                + string.Concat(lines)
        );
    }

    private static string UnmetRequirement(string requirement) =>
        requirement switch
        {
            "can_read_video" => "Tierpsy cannot read the video (can_read_video): it is empty, cut short or not a video",
            _ => $"Tierpsy's requirement {requirement} is not met",
        };

    /// <summary>
    /// Deletes what Tierpsy left in Tmp/ for these videos (one listing, one deletion), so their next run starts over.
    /// </summary>
    private async Task DeleteTemporaryFilesAsync(
        IReadOnlyList<TierpsyTask> tasks,
        ProjectLayout layout,
        CancellationToken ct
    )
    {
        var videos = tasks
            .Where(t => t.Video.StartsWith(layout.RawVideos + "/", StringComparison.Ordinal))
            .Select(t => TemporaryFiles.VideoKey(t.Video[(layout.RawVideos.Length + 1)..]))
            .ToHashSet(StringComparer.Ordinal);
        var remote = await ConnectAsync(ct);
        var doomed = (await RemoteFiles.ListAsync(remote, layout.Root, ["Tmp"], ct))
            .Keys.Where(p => TemporaryFiles.VideoOf(p) is { } video && videos.Contains(video))
            .ToList();
        if (doomed.Count == 0)
        {
            Log.Info("The resubmitted videos have no files in Tmp/.");
            return;
        }
        var deleted = await RemoteFiles.DeleteAsync(remote, layout.Root, doomed, CommandTimeouts.ManyFiles, ct);
        if (deleted.ExitCode != 0)
            throw new RemoteException(
                $"Deleting the temporary files of the videos to resubmit failed: {deleted.Error.Trim()}. Nothing was "
                    + $"resubmitted; run Verify --resubmit --fresh-tmp again."
            )
            {
                Reason = RemoteFailure.CommandFailed,
                ExitCode = deleted.ExitCode,
            };
        Log.Info(
            $"Deleted {doomed.Count} files in Tmp/ of {doomed.Select(TemporaryFiles.VideoOf).Distinct().Count()} "
                + $"videos: they start over."
        );
    }

    /// <summary>
    /// What the cluster shows of one unfinished video's runs: its latest task, that task's log classified, why the
    /// scheduler ended it, and how many of its tasks started (only those use an attempt: a task cancelled or refused
    /// before it ran did not).
    /// </summary>
    private sealed record VideoRuns(
        (Submission Submission, int Task)? Latest,
        TaskLogReport? Report,
        TaskEndCause? Cause,
        int Started
    )
    {
        /// <summary>The line Verify prints for the video.</summary>
        public string Reason =>
            Latest is not { } where ? "never submitted"
            : where.Submission.CancelledAt is { } cancelled
                ? $"submission {where.Submission.Id} task {where.Task}: cancelled by you "
                    + $"({cancelled.ToLocalTime():yyyy-MM-dd HH:mm}, Cancel); it used no attempt"
            : $"submission {where.Submission.Id} task {where.Task}"
                + (Report is null ? "" : $", attempt {Started}")
                + ": "
                + (Report?.ToString() ?? NoLog);

        private string NoLog =>
            Cause is TaskEndCause.Cancelled or TaskEndCause.CancelledBeforeStart
                ? "cancelled before it started (scancel or qdel); it used no attempt"
                : "no log (the task never started, or its log was deleted)";
    }

    /// <summary>
    /// The runs of each unfinished video: the end of its latest task log (one command for all logs), for a killed
    /// task the scheduler's record of why (SLURM's accounting, PBS Pro's history) where it keeps one, and which of
    /// its earlier tasks started (one command, only when a video was submitted more than once).
    /// </summary>
    private async Task<IReadOnlyDictionary<string, VideoRuns>> RunsAsync(
        IReadOnlyList<TierpsyTask> tasks,
        CancellationToken ct
    )
    {
        var history = State.History();
        var latest = tasks.ToDictionary(t => t.Video, t => history.LatestFor(t.Video));
        var submitted = latest.Values.OfType<(Submission Submission, int Task)>().ToList();
        var remote = await ConnectAsync(ct);
        var logs = await LogTails.ReadAsync(
            remote,
            submitted.Select(l => l.Submission.LogPath(l.Task)).Distinct().ToList(),
            CommandTimeouts.Scan,
            ct
        );
        var ends = await EndCausesAsync(remote, submitted.Select(l => l.Submission), ct);
        var earlier = tasks
            .SelectMany(t => history.TasksOf(t.Video).SkipLast(1))
            .Select(e => e.Submission.LogPath(e.Task))
            .Distinct()
            .ToList();
        var started = await LogTails.StartedAsync(remote, earlier, CommandTimeouts.Query, ct);
        return latest.ToDictionary(
            l => l.Key,
            l =>
            {
                if (l.Value is not { } where)
                    return new VideoRuns(null, null, null, 0);
                var text = logs.GetValueOrDefault(where.Submission.LogPath(where.Task)) ?? "";
                var cause = ends.TryGetValue((where.Submission.Id, where.Task), out var c) ? c : (TaskEndCause?)null;
                var before = history
                    .TasksOf(l.Key)
                    .SkipLast(1)
                    .Count(e => e.Submission.CancelledAt is null && started.Contains(e.Submission.LogPath(e.Task)));
                // A task the user cancelled with Cancel used no attempt, even if it had started.
                var latest = text.Length > 0 && where.Submission.CancelledAt is null ? 1 : 0;
                return text.Length == 0
                    ? new VideoRuns(where, null, cause, before)
                    : new VideoRuns(where, LogTails.ClassifyEnded(text, cause?.Describe()), cause, before + latest);
            }
        );
    }

    /// <summary>Why the scheduler ended these submissions' tasks, where it keeps a record: one command each.</summary>
    private static async Task<IReadOnlyDictionary<(string Submission, int Task), TaskEndCause>> EndCausesAsync(
        IRemote remote,
        IEnumerable<Submission> submissions,
        CancellationToken ct
    )
    {
        var causes = new Dictionary<(string, int), TaskEndCause>();
        foreach (var submission in submissions.DistinctBy(s => s.Id))
        {
            var scheduler = submission.Scheduler.CreateScheduler();
            if (scheduler.EndsCommand(submission.Chunks) is not { } command)
                continue;
            try
            {
                var answer = await remote.RunAsync(command, CommandTimeouts.Query, ct);
                var ends = scheduler.ParseEnds(answer, submission.Chunks);
                foreach (var (task, cause) in ends)
                    causes[(submission.Id, task)] = cause;
            }
            catch (RemoteException)
            {
                // Without the scheduler's record, the log alone says how the task ended.
            }
        }
        return causes;
    }
}
