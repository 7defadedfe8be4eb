using Tierpsy.Krypton.Remote;
using Tierpsy.Krypton.Reports;
using Tierpsy.Krypton.Schedulers;
using Tierpsy.Krypton.Targets;
using Tierpsy.Krypton.Tierpsy;

namespace Tierpsy.Krypton.Workflow;

public abstract partial class TierpsyBuild
{
    /// <summary>Report: the summary feature the plate maps are coloured by.</summary>
    [Parameter("Report: the summary feature the plate maps are coloured by")]
    public string ReportFeature { get; set; } = "speed_50th";

    /// <summary>Where Report writes the page.</summary>
    private AbsolutePath ReportFile => RootDirectory / "Results" / "report.html";

    /// <summary>
    /// Writes Results/report.html: the run overview, a timeline of the tasks, resources used, plate maps and failures,
    /// in one page that needs no network. Works during a run (a snapshot) and after it.
    /// </summary>
    public virtual Target Report =>
        _ =>
            _.Description("Writes Results/report.html: the run, its timeline, resources, plates and failures")
                .After(Summarize, Retrieve)
                .Executes(async ct =>
                {
                    var remote = await ConnectAsync(ct);
                    var layout = await LayoutAsync(ct);
                    var submissions = State.All();
                    var runs = await TaskRunsAsync(remote, submissions, ct);
                    var videos = await VideoRowsAsync(remote, layout, submissions, runs, ct);
                    var (plates, singles, note) = PlateData(layout, videos);
                    var videoTasks = runs.Where(r => submissions.Any(s => s.Id == r.Submission && s.Kind == "tierpsy"))
                        .ToList();
                    var data = new ReportData
                    {
                        Project = RootDirectory.Name,
                        Made = DateTimeOffset.Now,
                        Videos = videos,
                        Submissions = submissions.Select(Row).ToList(),
                        Tasks = runs.Where(r => submissions.Any(s => s.Id == r.Submission && s.Kind == "tierpsy"))
                            .ToList(),
                        Resources = ReportBuilder.Resources(runs),
                        Plates = plates,
                        Singles = singles,
                        Feature = ReportFeature,
                        StagedBytes = FolderBytes(State.StagedSources()),
                        RetrievedBytes = FolderBytes(
                            [RootDirectory / "Results", RootDirectory / "MaskedVideos"],
                            except: ReportFile
                        ),
                        SummaryNote = note,
                    };
                    Directory.CreateDirectory(Path.GetDirectoryName(ReportFile)!);
                    await File.WriteAllTextAsync(ReportFile, HtmlReport.Render(data), ct);
                    Log.Success(
                        $"Wrote {ReportFile}: {videos.Count} videos, {plates.Count} plates, {runs.Count} tasks. Open "
                            + $"it "
                            + "in a browser; it needs no network and can be sent as an attachment."
                    );
                });

    private static SubmissionRow Row(Submission s) =>
        new(
            s.Id,
            s.Kind,
            s.Attempt,
            s.SubmittedAt,
            s.Arrays.Select(a => a.JobId).ToList(),
            s.Videos.Count,
            s.Walltime,
            s.Memory,
            s.CancelledAt is not null
        );

    /// <summary>
    /// Every task's run from its log (one command per submission) and its memory where the scheduler records it.
    /// </summary>
    private static async Task<IReadOnlyList<TaskRun>> TaskRunsAsync(
        IRemote remote,
        IReadOnlyList<Submission> submissions,
        CancellationToken ct
    )
    {
        if (submissions.Count == 0)
            return [];
        var times = new Dictionary<(string, int), LogReading>();
        foreach (var submission in submissions)
        {
            var tasks = Enumerable.Range(1, submission.Videos.Count).ToList();
            var probe = LogProbe.Command($"{submission.Directory}/logs", tasks);
            var output = (await remote.RunAsync(probe, TimeSpan.FromMinutes(5), ct)).Output;
            foreach (var (task, reading) in LogProbe.Parse(output))
                times[(submission.Id, task)] = reading;
        }
        var memory = await MemoryUsedAsync(remote, submissions, ct);
        return submissions
            .SelectMany(s =>
                Enumerable
                    .Range(1, s.Videos.Count)
                    .Select(task =>
                    {
                        var time = times.GetValueOrDefault((s.Id, task));
                        long? rss = memory.TryGetValue((s.Id, task), out var b) ? b : null;
                        return new TaskRun(
                            s.Id,
                            s.Attempt,
                            task,
                            s.Videos[task - 1],
                            Time(time?.Start),
                            Time(time?.End),
                            time?.ExitCode,
                            time?.Checkpoint,
                            s.Walltime,
                            rss
                        );
                    })
            )
            .ToList();
    }

    private static DateTimeOffset? Time(long? seconds) =>
        seconds is { } s ? DateTimeOffset.FromUnixTimeSeconds(s) : null;

    /// <summary>
    /// The memory each task used where the scheduler records it: SLURM's accounting (sacct MaxRSS, when on), PBS
    /// Pro's job history (resources_used.mem); none for Torque and the local runner.
    /// </summary>
    private static async Task<IReadOnlyDictionary<(string Submission, int Task), long>> MemoryUsedAsync(
        IRemote remote,
        IReadOnlyList<Submission> submissions,
        CancellationToken ct
    )
    {
        var used = new Dictionary<(string, int), long>();
        foreach (var submission in submissions)
        {
            var chunks = submission.Chunks;
            if (submission.Scheduler == SchedulerKind.Slurm)
            {
                var answer = await remote.RunAsync(SlurmAccounting.MemoryCommand(chunks), null, ct);
                if (answer.ExitCode != 0)
                    continue;
                foreach (var (task, bytes) in SlurmAccounting.MemoryUsed(answer.Output, chunks))
                    used[(submission.Id, task)] = bytes;
            }
            else if (submission.Scheduler == SchedulerKind.PbsPro)
            {
                var status = await remote.RunAsync(new PbsProScheduler().StatusCommand(chunks), null, ct);
                foreach (var (task, bytes) in PbsProScheduler.MemoryUsed(status, chunks))
                    used[(submission.Id, task)] = bytes;
            }
        }
        return used;
    }

    /// <summary>
    /// Every video the project knows: those submitted (their latest task's outcome), and from the last listing those
    /// left to process that never were, and the invalid ones.
    /// </summary>
    private async Task<IReadOnlyList<VideoRow>> VideoRowsAsync(
        IRemote remote,
        ProjectLayout layout,
        IReadOnlyList<Submission> submissions,
        IReadOnlyList<TaskRun> runs,
        CancellationToken ct
    )
    {
        var history = State.History();
        var byTask = runs.ToDictionary(r => (r.Submission, r.Task));
        var submitted = submissions
            .Where(s => s.Kind == "tierpsy")
            .SelectMany(s => s.Videos)
            .Distinct(StringComparer.Ordinal)
            .ToList();
        var failedLogs = submitted
            .Select(v => history.LatestFor(v))
            .OfType<(Submission Submission, int Task)>()
            .Where(l => byTask.GetValueOrDefault((l.Submission.Id, l.Task)) is { ExitCode: not null and not 0 })
            .Select(l => l.Submission.LogPath(l.Task))
            .ToList();
        var tails =
            failedLogs.Count == 0
                ? new Dictionary<string, string>()
                : await LogTails.ReadAsync(remote, failedLogs, TimeSpan.FromMinutes(2), ct);
        var rows = new List<VideoRow>();
        foreach (var video in submitted)
        {
            var (submission, task) = history.LatestFor(video)!.Value;
            var run = byTask.GetValueOrDefault((submission.Id, task));
            var (outcome, detail, tail) =
                submission.CancelledAt is not null ? (VideoOutcome.Cancelled, "cancelled by you", "")
                : run?.ExitCode == 0 ? (VideoOutcome.Finished, "", "")
                : run?.ExitCode is { } code
                    ? (
                        VideoOutcome.Failed,
                        Failure(tails.GetValueOrDefault(submission.LogPath(task)), code),
                        tails.GetValueOrDefault(submission.LogPath(task)) ?? ""
                    )
                : (VideoOutcome.Open, "queued or running (no end in its log yet)", "");
            rows.Add(Video(layout, video, outcome, detail, history.Attempts(video), tail));
        }
        if (State.LastListingOutput() is { } listing)
        {
            var result = ListingParser.Parse(listing);
            foreach (var task in result.Tasks.Where(t => !submitted.Contains(t.Video)))
                rows.Add(Video(layout, task.Video, VideoOutcome.NotRun, "left to process; never submitted", 0, ""));
            foreach (var (path, requirement) in result.Unmet)
                rows.Add(
                    Video(layout, path, VideoOutcome.Invalid, $"Tierpsy's requirement {requirement} is not met", 0, "")
                );
        }
        return rows;
    }

    private static string Failure(string? log, int code) =>
        log is null ? $"exit code {code}" : LogTails.ClassifyEnded(log).ToString();

    private static VideoRow Video(
        ProjectLayout layout,
        string video,
        VideoOutcome outcome,
        string detail,
        int attempts,
        string log
    )
    {
        var path = layout.ShortVideo(video);
        var slash = path.IndexOf('/', StringComparison.Ordinal);
        var tail = log.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd('\n').Split('\n').TakeLast(15).ToList();
        return new VideoRow(
            slash > 0 ? path[..slash] : "",
            slash > 0 ? path[(slash + 1)..] : path,
            outcome,
            detail,
            attempts,
            log.Length == 0 ? [] : tail
        );
    }

    /// <summary>
    /// The plate maps and per-video bars from the newest joined summaries here, or why there are none.
    /// </summary>
    private (IReadOnlyList<PlateMap>, IReadOnlyList<VideoBar>, string?) PlateData(
        ProjectLayout layout,
        IReadOnlyList<VideoRow> videos
    )
    {
        var folder = RootDirectory / "Results";
        var features = Directory.Exists(folder)
            ? Directory
                .GetFiles(folder, "features_summary_*_compiled.csv")
                .OrderByDescending(File.GetLastWriteTimeUtc)
                .FirstOrDefault()
            : null;
        var filenames = features is null
            ? null
            : Path.Combine(
                folder,
                Path.GetFileName(features).Replace("features_summary_", "filenames_summary_", StringComparison.Ordinal)
            );
        var list = videos
            .Where(v => v.Outcome != VideoOutcome.Invalid)
            .Select(v => (Video: v.Day.Length > 0 ? $"{v.Day}/{v.Name}" : v.Name, v.Outcome))
            .ToList();
        if (features is null || filenames is null || !File.Exists(filenames))
        {
            var (plates, singles) = ReportBuilder.Plates(list, []);
            return (
                plates,
                singles,
                "No joined summaries here yet: ./build.sh Summarize makes them, and the wells get values."
            );
        }
        var rows = JoinedSummary.Read(File.ReadAllText(filenames), File.ReadAllText(features), ReportFeature);
        var (p, s) = ReportBuilder.Plates(list, rows);
        return (
            p,
            s,
            rows.All(r => r.Value.Feature is null) && rows.Count > 0
                ? $"The joined summaries have no column {ReportFeature}: choose one with --report-feature."
                : null
        );
    }

    private static long? FolderBytes(IEnumerable<string> folders, string? except = null)
    {
        long total = 0;
        var any = false;
        foreach (var folder in folders.Where(Directory.Exists))
        {
            any = true;
            total += Directory
                .EnumerateFiles(folder, "*", SearchOption.AllDirectories)
                .Where(f => f != except)
                .Sum(f => new FileInfo(f).Length);
        }
        return any ? total : null;
    }
}
