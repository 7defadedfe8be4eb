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
                    var submissions = State.All();
                    var (records, stale) = await TaskRecordsAsync(submissions, ct);
                    var layout = submissions
                        .Select(s => ProjectLayout.OfSubmission(s.Directory))
                        .FirstOrDefault(l => l != null)
                        ?? await LayoutAsync(ct);
                    var runs = TaskRuns(submissions, records);
                    var videos = VideoRows(layout, submissions, runs, records);
                    var (plates, singles, note) = PlateData(layout, videos);
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
                        StaleNote = stale,
                    };
                    Directory.CreateDirectory(Path.GetDirectoryName(ReportFile)!);
                    await File.WriteAllTextAsync(ReportFile, HtmlReport.Render(data), ct);
                    Log.Success(
                        $"Wrote {ReportFile}: {videos.Count} videos, {plates.Count} plates, {runs.Count} tasks. "
                            + "Open it in a browser; it needs no network and can be sent as an attachment."
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
    /// Every submission's tasks: as recorded here when reading again could change nothing, else read from the
    /// cluster and recorded. When the cluster cannot be reached, the records are used as they are, and the note
    /// says which submissions may be out of date.
    /// </summary>
    private async Task<(Dictionary<string, SubmissionRecord> Records, string? StaleNote)> TaskRecordsAsync(
        IReadOnlyList<Submission> submissions,
        CancellationToken ct
    )
    {
        var (records, open) = RecordsHere(submissions);
        if (open.Count == 0)
            return (records, null);
        try
        {
            await RecordTasksAsync(await ConnectAsync(ct), open, records, ct);
            return (records, null);
        }
        catch (RemoteException e) when (e.Reason == RemoteFailure.Unreachable)
        {
            var note =
                $"The cluster could not be reached, so {open.Count} submission(s) with tasks not yet ended are shown "
                + "as last read here: "
                + string.Join(", ", open.Select(s => $"{s.Id} ({Read(records.GetValueOrDefault(s.Id))})"))
                + ". Run ./build.sh Report again when the cluster can be reached.";
            Log.Warning(e.Message + " " + note);
            return (records, note);
        }
    }

    /// <summary>
    /// The records kept here of <paramref name="submissions"/>, and the submissions whose record could still change
    /// (none kept, or a task not ended when it was read).
    /// </summary>
    private (Dictionary<string, SubmissionRecord> Records, List<Submission> Open) RecordsHere(
        IReadOnlyList<Submission> submissions
    )
    {
        var records = new Dictionary<string, SubmissionRecord>(StringComparer.Ordinal);
        foreach (var submission in submissions)
            if (State.LoadRecord(submission.Id) is { } record)
                records[submission.Id] = record;
        return (records, submissions.Where(s => records.GetValueOrDefault(s.Id)?.IsSettled(s) != true).ToList());
    }

    private static string Read(SubmissionRecord? record) =>
        record is null ? "never read" : $"read {record.ReadAt.ToLocalTime():yyyy-MM-dd HH:mm}";

    /// <summary>
    /// Reads the tasks of <paramref name="open"/> from the cluster and records them here; a dry run records nothing,
    /// since its commands print instead of answering.
    /// </summary>
    private async Task RecordTasksAsync(
        IRemote remote,
        IEnumerable<Submission> open,
        Dictionary<string, SubmissionRecord> records,
        CancellationToken ct
    )
    {
        foreach (var submission in open)
        {
            var record = await TaskRecords.ReadAsync(remote, submission, DateTimeOffset.UtcNow, ct);
            if (!IsDryRun)
                State.SaveRecord(submission.Id, record);
            records[submission.Id] = record;
        }
    }

    /// <summary>
    /// Records the tasks of every submission whose record could still change, so that a Report after this needs
    /// no cluster (Retrieve does this once the results are here).
    /// </summary>
    private async Task RecordOpenTasksAsync(IRemote remote, CancellationToken ct)
    {
        var (records, open) = RecordsHere(State.All());
        await RecordTasksAsync(remote, open, records, ct);
        if (open.Count > 0)
            Log.Verbose($"recorded the tasks of {open.Count} submission(s) for the Report");
    }

    /// <summary>Every task of every submission, as recorded.</summary>
    private static List<TaskRun> TaskRuns(
        IReadOnlyList<Submission> submissions,
        IReadOnlyDictionary<string, SubmissionRecord> records
    ) =>
        submissions
            .SelectMany(s =>
                Enumerable
                    .Range(1, s.Videos.Count)
                    .Select(task =>
                    {
                        var record = records.GetValueOrDefault(s.Id)?.Tasks.FirstOrDefault(t => t.Task == task);
                        return new TaskRun(
                            s.Id,
                            s.Attempt,
                            task,
                            s.Videos[task - 1],
                            Time(record?.Start),
                            Time(record?.End),
                            record?.ExitCode,
                            record?.Checkpoint,
                            s.Walltime,
                            record?.MaxRssBytes
                        );
                    })
            )
            .ToList();

    private static DateTimeOffset? Time(long? seconds) =>
        seconds is { } s ? DateTimeOffset.FromUnixTimeSeconds(s) : null;

    /// <summary>
    /// Every video the project knows: those submitted (their latest task's outcome), and from the last listing those
    /// left to process that never were, and the invalid ones.
    /// </summary>
    private IReadOnlyList<VideoRow> VideoRows(
        ProjectLayout layout,
        IReadOnlyList<Submission> submissions,
        IReadOnlyList<TaskRun> runs,
        IReadOnlyDictionary<string, SubmissionRecord> records
    )
    {
        var history = State.History();
        var byTask = runs.ToDictionary(r => (r.Submission, r.Task));
        var submitted = submissions
            .Where(s => s.Kind == "tierpsy")
            .SelectMany(s => s.Videos)
            .Distinct(StringComparer.Ordinal)
            .ToList();
        var rows = new List<VideoRow>();
        foreach (var video in submitted)
        {
            var (submission, task) = history.LatestFor(video)!.Value;
            var run = byTask.GetValueOrDefault((submission.Id, task));
            var record = records.GetValueOrDefault(submission.Id)?.Tasks.FirstOrDefault(t => t.Task == task);
            var (outcome, detail, tail) =
                submission.CancelledAt is not null ? (VideoOutcome.Cancelled, "cancelled by you", [])
                : run?.ExitCode == 0 ? (VideoOutcome.Finished, "", [])
                : run?.ExitCode is { } code
                    ? (VideoOutcome.Failed, record?.Failure ?? $"exit code {code}", record?.Tail ?? [])
                : (VideoOutcome.Open, "queued or running (no end in its log yet)", (IReadOnlyList<string>)[]);
            rows.Add(Video(layout, video, outcome, detail, history.Attempts(video), tail));
        }
        if (State.LastListingOutput() is { } listing)
        {
            var result = ListingParser.Parse(listing);
            foreach (var task in result.Tasks.Where(t => !submitted.Contains(t.Video)))
                rows.Add(Video(layout, task.Video, VideoOutcome.NotRun, "left to process; never submitted", 0, []));
            foreach (var (path, requirement) in result.Unmet)
                rows.Add(
                    Video(layout, path, VideoOutcome.Invalid, $"Tierpsy's requirement {requirement} is not met", 0, [])
                );
        }
        return rows;
    }

    private static VideoRow Video(
        ProjectLayout layout,
        string video,
        VideoOutcome outcome,
        string detail,
        int attempts,
        IReadOnlyList<string> tail
    )
    {
        var path = layout.ShortVideo(video);
        var slash = path.IndexOf('/', StringComparison.Ordinal);
        return new VideoRow(
            slash > 0 ? path[..slash] : "",
            slash > 0 ? path[(slash + 1)..] : path,
            outcome,
            detail,
            attempts,
            tail
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
        using var names = File.OpenRead(filenames);
        using var table = new FileStream(
            features,
            FileMode.Open,
            FileAccess.Read,
            FileShare.Read,
            1,
            FileOptions.SequentialScan
        );
        var rows = JoinedSummary.Read(names, table, ReportFeature);
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
