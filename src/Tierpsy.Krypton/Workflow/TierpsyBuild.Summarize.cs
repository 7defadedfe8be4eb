using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Tierpsy.Krypton.Remote;
using Tierpsy.Krypton.Schedulers;
using Tierpsy.Krypton.Targets;
using Tierpsy.Krypton.Text;
using Tierpsy.Krypton.Tierpsy;
using Tierpsy.Krypton.Transfer;

namespace Tierpsy.Krypton.Workflow;

public abstract partial class TierpsyBuild
{
    /// <summary>
    /// The summarizer's options, one parameter each (<c>--time-windows</c>, ...). Change them in code with
    /// <see cref="ConfigureSummarizer"/>.
    /// </summary>
    public SummarizerSettings Summarizer { get; } = new();

    /// <summary>
    /// Has the last word on the summarizer's options: it receives them as the parameters set them and returns those
    /// Summarize uses, e.g. <c>s =&gt; s with { KeywordsExclude = "blob" }</c>.
    /// </summary>
    protected virtual SummarizerSettings ConfigureSummarizer(SummarizerSettings settings) => settings;

    /// <summary>Summarize: the imaging days (folders of Results/); default every day.</summary>
    [Parameter("Summarize: imaging days to summarize (default: every folder of Results/)")]
    public string[] Days { get; set; } = [];

    /// <summary>Summarize: summarize days again although they have a summary made with the same options.</summary>
    [Parameter("Summarize: summarize days again that already have a summary with the same options")]
    public bool Force { get; set; }

    /// <summary>
    /// Summarize: write local paths into the joined filenames table (the cluster's Results/ becomes this folder's).
    /// </summary>
    [Parameter("Summarize: folder that replaces the cluster's project folder in the joined file names")]
    public string? LocalRoot { get; set; }

    private SummarizerOptions SummarizerOptions => ConfigureSummarizer(Summarizer with { }).ToOptions();

    /// <summary>The summarizer's options; stops before anything is submitted when they are not valid.</summary>
    private SummarizerOptions CheckSummarizerOptions()
    {
        var options = SummarizerOptions;
        return options.Problems() is { Count: > 0 } problems
            ? throw new ArgumentException(
                "The summarizer options are not valid; nothing was submitted:\n  " + string.Join("\n  ", problems)
            )
            : options;
    }

    /// <summary>Summarizes the features per imaging day and joins the days into one table.</summary>
    public virtual Target Summarize =>
        _ =>
            _.Description("Summarizes the features per imaging day and joins the days into one table")
                .After(Verify)
                .Executes(async ct =>
                {
                    CheckRemoteRootForTierpsy();
                    var options = CheckSummarizerOptions();
                    var remote = await ConnectAsync(ct);
                    var layout = await LayoutAsync(ct);
                    var listed = await RemoteFiles.ListAsync(remote, layout.Root, ["Results"], ct);
                    var days = listed
                        .Keys.Select(p => p.Split('/'))
                        .Where(p => p.Length >= 3)
                        .Select(p => p[1])
                        .Distinct()
                        .Order(StringComparer.Ordinal)
                        .ToList();
                    if (Days.Length > 0)
                    {
                        foreach (var missing in Days.Except(days))
                            throw new ArgumentException(
                                $"There is no day '{missing}' in Results/ on the cluster. Days there: "
                                    + $"{string.Join(", ", days)}."
                            );
                        days = Days.Order(StringComparer.Ordinal).ToList();
                    }
                    if (days.Count == 0)
                        throw new InvalidOperationException(
                            "Results/ on the cluster holds no day folder yet: run Submit and Monitor first."
                        );

                    var marker = options.Describe();
                    var done = State.Folder / "summaries";
                    // A day is summarized again when its options or its features files (names, sizes, times) changed: a
                    // video resubmitted and finished after the day's summary must not be left out of it.
                    var made = days.ToDictionary(
                        d => d,
                        d => marker + "\n" + FeaturesFingerprint(listed, d),
                        StringComparer.Ordinal
                    );
                    var recorded = days.ToDictionary(
                        d => d,
                        d => File.Exists(done / $"{d}.options") ? File.ReadAllText(done / $"{d}.options") : null,
                        StringComparer.Ordinal
                    );
                    var todo = days.Where(d =>
                            Force || recorded[d] != made[d] || SummaryPair(listed, d, options) is null
                        )
                        .ToList();
                    if (await AwaitSummariesOnClusterAsync(remote, ct))
                        listed = await RemoteFiles.ListAsync(remote, layout.Root, ["Results"], ct);
                    foreach (var day in await SummarizedOnClusterAsync(remote, layout, todo, made, listed, options, ct))
                    {
                        Directory.CreateDirectory(done);
                        File.WriteAllText(done / $"{day}.options", made[day]);
                        Log.Info($"{day}: summarized on the cluster after its videos (Submit --then-summarize)");
                        todo.Remove(day);
                    }
                    foreach (var skipped in days.Except(todo))
                        Log.Info(
                            $"{skipped}: already summarized with the same options and features files (--force "
                                + $"summarizes it again)"
                        );
                    foreach (
                        var changed in todo.Where(d =>
                            !Force
                            && recorded[d] is { } r
                            && r.StartsWith(marker + "\n", StringComparison.Ordinal)
                            && r != made[d]
                        )
                    )
                        Log.Info($"{changed}: its features files changed since its summary; summarizing it again");
                    var failed = new Dictionary<string, string>(StringComparer.Ordinal);
                    if (todo.Count > 0)
                    {
                        var submission = await SubmitAsync(
                            todo.Select(d => new ArrayTask(
                                    RemotePath.Combine(layout.Results, d),
                                    SummarizerCommand.Render(RemotePath.Combine(layout.Results, d), options)
                                ))
                                .ToList(),
                            "summarize",
                            ct
                        );
                        if (submission is null)
                            return; // dry run
                        var progress = await MonitorAsync(submission, once: false, ct);
                        foreach (var task in progress.Where(t => t.Phase == TaskPhase.Succeeded))
                        {
                            var day = task.Video[(layout.Results.Length + 1)..];
                            Directory.CreateDirectory(done);
                            File.WriteAllText(done / $"{day}.options", made[day]);
                        }
                        var unsucceeded = progress.Where(t => t.Phase != TaskPhase.Succeeded);
                        var failures = await SummarizerFailuresAsync(remote, submission, unsucceeded, ct);
                        foreach (var (task, why) in failures)
                            failed[task.Video[(layout.Results.Length + 1)..]] = why;
                        listed = await RemoteFiles.ListAsync(remote, layout.Root, ["Results"], ct);
                    }

                    var summaries = new List<DaySummary>();
                    var noFiles = new List<string>();
                    foreach (var day in days.Except(failed.Keys))
                    {
                        if (SummaryPair(listed, day, options) is not { } pair)
                        {
                            noFiles.Add(day);
                            continue;
                        }
                        var local = RootDirectory / "Results" / day;
                        Directory.CreateDirectory(local);
                        var features = Path.Combine(local, Path.GetFileName(pair.Features));
                        var filenames = Path.Combine(local, Path.GetFileName(pair.Filenames));
                        await remote.DownloadAsync(
                            RemotePath.Combine(layout.Root, pair.Features),
                            features,
                            0,
                            null,
                            cancellationToken: ct
                        );
                        await remote.DownloadAsync(
                            RemotePath.Combine(layout.Root, pair.Filenames),
                            filenames,
                            0,
                            null,
                            cancellationToken: ct
                        );
                        summaries.Add(new DaySummary(day, features, filenames));
                    }
                    foreach (var day in noFiles)
                        Log.Warning(
                            $"{day}: the summarizer found no features file (\"No valid files found\"); the day is not "
                                + $"in the joined table."
                        );
                    if (summaries.Count > 0)
                    {
                        var name = $"{options.Kind}{(options.Filtered ? "_filtered_traj" : "")}_compiled.csv";
                        var featuresOut = RootDirectory / "Results" / $"features_summary_{name}";
                        var filenamesOut = RootDirectory / "Results" / $"filenames_summary_{name}";
                        File.Delete(featuresOut);
                        File.Delete(filenamesOut);
                        var report = SummaryJoin.Join(
                            summaries,
                            featuresOut,
                            filenamesOut,
                            [$"JOINED DAYS,{string.Join(",", summaries.Select(s => s.Day))}", marker],
                            LocalRoot is { Length: > 0 } localRoot
                                ? path =>
                                    path.StartsWith(layout.Root + "/", StringComparison.Ordinal)
                                        ? localRoot.TrimEnd('/') + path[layout.Root.Length..]
                                        : path
                                : null
                        );
                        Log.Success(
                            $"Joined {report.Days.Count} days ({report.Files} files, {report.Rows} rows, "
                                + $"{report.Columns} columns) into {featuresOut} and {filenamesOut}."
                        );
                        foreach (var empty in report.EmptyDays)
                            Log.Warning(
                                $"{empty}: no features passed the filters ({FilterText(options)}): the day has no "
                                    + "row in the features table; its videos are in the filenames table with their "
                                    + "file_id."
                            );
                    }
                    if (failed.Count > 0)
                        throw new InvalidOperationException(
                            $"The summarizer failed for {failed.Count} day(s); they are not in the joined table:\n  "
                                + string.Join("\n  ", failed.Select(f => $"{f.Key}: {f.Value}"))
                        );
                });

    /// <summary>
    /// Follows the day summaries that Submit --then-summarize queued and that have not ended yet, so that they are
    /// taken rather than made twice; true when there were any.
    /// </summary>
    private async Task<bool> AwaitSummariesOnClusterAsync(IRemote remote, CancellationToken ct)
    {
        if (Force)
            return false;
        var waited = false;
        // Their logs, not the scheduler's lists, tell: a task's log ends after its record is written, and a task
        // may be missing from the scheduler's list for a moment as its dependency resolves.
        foreach (var submission in State.All().Where(s => s.Kind == "summarize" && s.CancelledAt is null))
        {
            var tasks = Enumerable.Range(1, submission.Videos.Count).ToList();
            var logs = await ReadLogsAsync(remote, submission, tasks, ct);
            if (tasks.All(t => logs.GetValueOrDefault(t)?.ExitCode is not null))
                continue;
            Log.Info(
                $"The day summaries of submission {submission.Id} (Submit --then-summarize) have not ended yet: "
                    + "waiting for them."
            );
            await MonitorAsync(submission, once: false, ct);
            waited = true;
        }
        return waited;
    }

    /// <summary>
    /// The days of <paramref name="todo"/> whose summary a summarizer task on the cluster made with the same options
    /// from the same features files (names, sizes, times) as there are now: one command reads their records.
    /// </summary>
    private async Task<IReadOnlyList<string>> SummarizedOnClusterAsync(
        IRemote remote,
        ProjectLayout layout,
        IReadOnlyList<string> todo,
        IReadOnlyDictionary<string, string> made,
        IReadOnlyDictionary<string, RemoteFile> listed,
        SummarizerOptions options,
        CancellationToken ct
    )
    {
        if (Force || todo.Count == 0)
            return [];
        var output = await remote.RunAsync(ClusterSummaryRecord.ReadCommand(layout, todo), CommandTimeouts.Small, ct);
        return ClusterSummaryRecord
            .Parse(output.Output)
            .Where(r =>
                made[r.Key] == r.Value.Options + "\n" + FeaturesFingerprint(r.Value.Features, r.Key)
                && SummaryPair(listed, r.Key, options) is not null
            )
            .Select(r => r.Key)
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>Why each of these summarizer tasks failed: the exception line of its log, and the log's path.</summary>
    private static async Task<IReadOnlyList<(TaskProgress Task, string Why)>> SummarizerFailuresAsync(
        IRemote remote,
        Submission submission,
        IEnumerable<TaskProgress> failed,
        CancellationToken ct
    )
    {
        var tasks = failed.ToList();
        if (tasks.Count == 0)
            return [];
        var paths = tasks.Select(t => submission.LogPath(t.Task)).ToList();
        var logs = await LogTails.ReadAsync(remote, paths, CommandTimeouts.Query, ct);
        return tasks
            .Select(t =>
            {
                var path = submission.LogPath(t.Task);
                var report = LogTails.ClassifyEnded(logs.GetValueOrDefault(path) ?? "");
                var why = report.Outcome == TaskOutcome.Traceback ? report.Detail : report.ToString();
                return (t, $"{why}. Log: {path}");
            })
            .ToList();
    }

    private static string FilterText(SummarizerOptions o) =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"worm length {o.FilterLengthMin}-{o.FilterLengthMax} µm, width {o.FilterWidthMin}-{o.FilterWidthMax} µm"
        );

    /// <summary>
    /// SHA-256 of the day's features files as listed (path, size, time), one line in the day's summary record.
    /// </summary>
    private static string FeaturesFingerprint(IReadOnlyDictionary<string, RemoteFile> listed, string day) =>
        FeaturesFingerprint(listed.Values.Select(f => new RemoteFileInfo(f.Path, f.Size, f.Modified)), day);

    private static string FeaturesFingerprint(IEnumerable<RemoteFileInfo> listed, string day)
    {
        var files = listed
            .Where(f =>
                f.Path.StartsWith($"Results/{day}/", StringComparison.Ordinal)
                && f.Path.EndsWith("_featuresN.hdf5", StringComparison.Ordinal)
            )
            .OrderBy(f => f.Path, StringComparer.Ordinal)
            .Select(f => $"{f.Path}\0{f.Size}\0{f.Modified}\n");
        return "features " + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Concat(files))));
    }

    /// <summary>
    /// The newest features/filenames pair of a day, by the timestamp in their names; null when the day has none.
    /// </summary>
    private static (string Features, string Filenames)? SummaryPair(
        IReadOnlyDictionary<string, RemoteFile> listed,
        string day,
        SummarizerOptions options
    )
    {
        var pattern = new Regex(
            $@"^Results/{Regex.Escape(day)}/features_summary_{Regex.Escape(options.Kind)}_(\d{{8}}_\d{{6}})\.csv$"
        );
        var newest = listed
            .Keys.Select(k => pattern.Match(k))
            .Where(m => m.Success)
            .OrderBy(m => m.Groups[1].Value, StringComparer.Ordinal)
            .LastOrDefault();
        if (newest is null)
            return null;
        var filenames = $"Results/{day}/filenames_summary_{options.Kind}_{newest.Groups[1].Value}.csv";
        return listed.ContainsKey(filenames) ? (newest.Value, filenames) : null;
    }
}
