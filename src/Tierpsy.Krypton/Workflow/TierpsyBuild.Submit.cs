using System.Globalization;
using System.Text.RegularExpressions;
using Tierpsy.Krypton.Remote;
using Tierpsy.Krypton.Schedulers;
using Tierpsy.Krypton.Targets;
using Tierpsy.Krypton.Text;
using Tierpsy.Krypton.Tierpsy;

namespace Tierpsy.Krypton.Workflow;

/// <summary>One line of a task list: what it works on (a video, a day) and the shell line that does it.</summary>
internal sealed record ArrayTask(string Label, string ShellLine);

public abstract partial class TierpsyBuild
{
    /// <summary>Submit: the e-mail address the scheduler writes to about the jobs.</summary>
    [Parameter("Submit: e-mail address the scheduler writes to about the jobs (see --mail-on)")]
    public string? Mail { get; set; }

    /// <summary>Submit: when the scheduler writes: end, fail or all.</summary>
    [Parameter("Submit: when the scheduler mails: end (however a job ended), fail or all")]
    public MailOn MailOn { get; set; } = MailOn.End;

    /// <summary>Submit: the account (SLURM, Torque) or project (PBS Pro) the jobs are charged to.</summary>
    [Parameter("Submit: account the jobs are charged to (SLURM --account, Torque -A, PBS Pro's project -P)")]
    public string? Account { get; set; }

    /// <summary>Submit: the jobs' name in the queue; default &lt;kind&gt;_&lt;project folder&gt;.</summary>
    [Parameter("Submit: name of the jobs in the queue (default tierpsy_<project folder>)")]
    public string? JobName { get; set; }

    /// <summary>Submit: directive lines written verbatim after the generated ones.</summary>
    [Parameter(
        "Submit: a directive line written verbatim after the generated ones, e.g. '#SBATCH --qos=long' "
            + "(repeat for more)"
    )]
    public string[] Directive { get; set; } = [];

    /// <summary>
    /// Submit: also submit the day summaries, to run on the cluster once the videos' tasks have ended (a scheduler
    /// dependency), so they are made even while this computer is off; a later Summarize takes them.
    /// </summary>
    [Parameter("Submit: also submit the day summaries, to run on the cluster when the videos' tasks have ended")]
    public bool ThenSummarize { get; set; }

    /// <summary>At most this many tasks of a submission run at once (the scheduler's % throttle).</summary>
    [Parameter("At most this many tasks run at once; empty for no limit", Minimum = 1)]
    public int? Throttle { get; set; }

    /// <summary>Overrides the array size cap read from the scheduler.</summary>
    [Parameter("Largest array the site accepts; default: read from the scheduler", Minimum = 1)]
    public int? MaxArraySize { get; set; }

    /// <summary>Submits one array job over the videos left to process.</summary>
    public virtual Target Submit =>
        _ =>
            _.Description("Submits one array job over the videos left to process")
                .DependsOn(ListFiles)
                .Executes(async ct =>
                {
                    if (ThenSummarize)
                        CheckSummarizerOptions();
                    if (Listing is null)
                        return; // dry run: ListFiles printed the listing command
                    if (Listing.ToProcess == 0)
                    {
                        Log.Success(
                            $"Nothing to submit: no video needs processing ({Listing.Finished} finished, "
                                + $"{Listing.Invalid} invalid)."
                        );
                        return;
                    }
                    // The listing counts a video whose task still runs as not finished: submitting it again would run
                    // it twice at once.
                    var active = await ActiveTasksAsync(await ConnectAsync(ct), ct);
                    var tasks = Listing.Tasks.Where(t => !active.Videos.Contains(t.Video)).ToList();
                    if (tasks.Count < Listing.Tasks.Count)
                        Log.Warning(
                            $"{Listing.Tasks.Count - tasks.Count} of the videos to process still have a task queued "
                                + $"or running ({active}): they are not submitted again."
                                + active.UnknownHint
                        );
                    if (tasks.Count == 0)
                    {
                        Log.Success(
                            "Nothing to submit: every video to process still has a task queued or running. Follow "
                                + "them with Monitor."
                        );
                        return;
                    }
                    var submission = await SubmitAsync(tasks, ct);
                    if (ThenSummarize && submission is not null)
                        await SubmitSummariesAfterAsync(submission, ct);
                });

    /// <summary>
    /// Submits one summarizer task per imaging day of <paramref name="videos"/>' submission, to start once its arrays
    /// have ended however they ended; each task that succeeds leaves a <see cref="ClusterSummaryRecord"/>.
    /// </summary>
    private async Task SubmitSummariesAfterAsync(Submission videos, CancellationToken ct)
    {
        var layout = await LayoutAsync(ct);
        var options = SummarizerOptions;
        var marker = options.Describe();
        var days = videos
            .Videos.Where(v => v.StartsWith(layout.RawVideos + "/", StringComparison.Ordinal))
            .Select(v => v[(layout.RawVideos.Length + 1)..].Split('/'))
            .Where(p => p.Length >= 2)
            .Select(p => p[0])
            .Distinct()
            .Order(StringComparer.Ordinal)
            .ToList();
        if (days.Count == 0)
        {
            Log.Warning("No day summaries submitted: the videos are not in day folders below RawVideos/.");
            return;
        }
        var tasks = days.Select(d =>
            {
                var folder = RemotePath.Combine(layout.Results, d);
                var line =
                    $"{SummarizerCommand.Render(folder, options)} && "
                    + ClusterSummaryRecord.WriteCommand(layout, d, marker);
                return new ArrayTask(folder, line);
            })
            .ToList();
        await SubmitAsync(tasks, "summarize", ct, afterAny: videos.Arrays.Select(a => a.JobId).ToList());
    }

    /// <summary>
    /// Writes the task list and job scripts of a new submission, submits one array per chunk of the site's cap and
    /// records the submission in .krypton/state/ after every chunk, so nothing submitted is ever forgotten.
    /// </summary>
    private protected Task<Submission?> SubmitAsync(
        IReadOnlyList<TierpsyTask> tasks,
        CancellationToken ct,
        Resources? resources = null
    ) =>
        SubmitAsync(
            tasks.Select(t => new ArrayTask(t.Video, t.ToShell())).ToList(),
            "tierpsy",
            ct,
            resources: resources
        );

    /// <summary>What each task asks for: the parameters' walltime, CPUs, memory and queue.</summary>
    private Resources RequestedResources =>
        new(
            Walltime,
            Cpus,
            string.IsNullOrWhiteSpace(Memory) ? null : Memory,
            string.IsNullOrWhiteSpace(Queue) ? null : Queue
        );

    /// <summary>
    /// Submits any task lines (one shell line per task, labelled by what it works on: a video, a day).
    /// </summary>
    /// <param name="tasks">The task lines.</param>
    /// <param name="kind">What the tasks do (tierpsy, summarize): the start of the jobs' name.</param>
    /// <param name="ct">Cancels the submission.</param>
    /// <param name="resources">What each task asks for; default the parameters'.</param>
    /// <param name="afterAny">
    /// Jobs to wait for. A submission that waits is recorded but does not become the current one: Monitor and Verify
    /// go on following those it waits for.</param>
    private protected async Task<Submission?> SubmitAsync(
        IReadOnlyList<ArrayTask> tasks,
        string kind,
        CancellationToken ct,
        IReadOnlyList<string>? afterAny = null,
        Resources? resources = null
    )
    {
        var site = SiteOptionsChecked();
        var remote = await ConnectAsync(ct);
        var layout = await LayoutAsync(ct);
        var scheduler = SchedulerImplementation;
        var id = DateTimeOffset.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
        while (!IsDryRun && State.All().Any(s => s.Id == id))
            id += "b";
        var job = new ArrayJob
        {
            Name = JobName is { Length: > 0 } name
                ? (kind == "tierpsy" ? name : $"{name}_{kind}")
                : $"{kind}_{RootDirectory.Name}",
            Directory = layout.Submission(id),
            TaskCount = tasks.Count,
            Resources = resources ?? RequestedResources,
            Setup = TierpsySetup,
            Throttle = Throttle,
            Site = site,
            AfterAny = afterAny ?? [],
        };
        var chunks = job.Chunks(await ArrayCapAsync(remote, scheduler, ct));
        if (chunks.Count > 1)
            Log.Info(
                $"The site accepts at most {chunks[0].Count} tasks per array, so the {tasks.Count} tasks go in "
                    + $"{chunks.Count} arrays."
            );

        await remote.WriteTextAsync(job.TaskListPath, string.Join("\n", tasks.Select(t => t.ShellLine)) + "\n", ct);
        await remote.RunAsync($"mkdir -p {ShellQuote.Path(job.LogDirectory)}", CommandTimeouts.Small, ct);
        foreach (var chunk in chunks)
            await remote.WriteTextAsync(job.ScriptPath(chunk), scheduler.RenderScript(job, chunk), ct);

        var history = State.History();
        var attempt = tasks.Max(t => history.Attempts(t.Label)) + 1;
        var submitted = new List<SubmittedArray>();
        foreach (var chunk in chunks)
        {
            CommandResult result;
            try
            {
                result = await remote.RunAsync(scheduler.SubmitCommand(job, chunk), CommandTimeouts.Query, ct);
            }
            catch (RemoteException e) when (e.Reason == RemoteFailure.ConnectionLost)
            {
                var recorded =
                    submitted.Count > 0
                        ? $" Arrays already submitted and recorded: "
                            + $"{string.Join(", ", submitted.Select(a => a.JobId))}."
                        : "";
                throw new RemoteException(
                    $"{e.Message} Array {chunk.Number} of {chunks.Count} may or may not "
                        + $"have been submitted: look for job {JobScript.Name(job.Name)} in the "
                        + "scheduler's queue before you submit again."
                        + recorded,
                    e
                )
                {
                    Reason = e.Reason,
                    Command = e.Command,
                };
            }
            if (IsDryRun)
                continue;
            if (result.ExitCode != 0)
                throw new SchedulerException(
                    $"Submitting array {chunk.Number} of {chunks.Count} failed (exit code {result.ExitCode}): "
                        + $"{result.All.Trim()}"
                        + (
                            submitted.Count > 0
                                ? $" Arrays already submitted and recorded: "
                                    + $"{string.Join(", ", submitted.Select(s => s.JobId))}."
                                : " Nothing was submitted."
                        )
                )
                {
                    Command = scheduler.SubmitCommand(job, chunk),
                    ExitCode = result.ExitCode,
                };
            submitted.Add(
                new SubmittedArray(chunk.Number, chunk.Offset, chunk.Count, scheduler.ParseSubmitOutput(result.Output))
            );
            State.Save(
                new Submission
                {
                    Id = id,
                    Attempt = attempt,
                    Scheduler = Scheduler,
                    Directory = job.Directory,
                    SubmittedAt = DateTimeOffset.UtcNow,
                    Videos = tasks.Select(t => t.Label).ToList(),
                    Arrays = submitted.ToList(),
                    Kind = kind,
                    FromMasked = kind == "tierpsy" && From == VideoSource.Masked,
                    Walltime = job.Resources.Walltime,
                    Memory = job.Resources.Memory,
                },
                current: job.AfterAny.Count == 0
            );
        }
        if (IsDryRun)
            return null;
        Log.Success(
            $"Submitted {tasks.Count} task{(tasks.Count == 1 ? "" : "s")} as submission {id} (attempt {attempt}): job "
                + $"{string.Join(", ", submitted.Select(s => s.JobId))}. "
                + (
                    job.AfterAny.Count == 0
                        ? "Follow it with Monitor."
                        : $"It starts once job {string.Join(", ", job.AfterAny)} has ended; Summarize then downloads "
                            + "and joins what it made."
                )
        );
        return State.Load(id);
    }

    private async Task<int?> ArrayCapAsync(IRemote remote, IScheduler scheduler, CancellationToken ct)
    {
        if (MaxArraySize is { } cap)
            return cap >= 1
                ? cap
                : throw new ArgumentOutOfRangeException(
                    nameof(MaxArraySize),
                    cap,
                    "--max-array-size must be at least 1."
                );
        if (scheduler.ArrayCapCommand is not { } command || IsDryRun)
            return null;
        var result = await remote.RunAsync(command, CommandTimeouts.Small, ct);
        if (result.ExitCode != 0)
        {
            Log.Warning(
                $"Could not read the array size cap ({command}: {result.All.Trim()}); assuming there is none. Set "
                    + $"--max-array-size if submission fails."
            );
            return null;
        }
        return scheduler.ParseArrayCap(result.Output);
    }

    /// <summary>
    /// --mail, --account and --directive as the job scripts get them, refused before anything is written when a
    /// value would break the script: a directive must be one line of the scheduler's own kind.
    /// </summary>
    private SiteOptions SiteOptionsChecked()
    {
        if (Mail is { Length: > 0 } mail && !MailAddress().IsMatch(mail))
            throw new ArgumentException(
                $"--mail '{mail}' is not an e-mail address (name@example.org). Nothing was submitted."
            );
        if (Account is { Length: > 0 } account && !AccountName().IsMatch(account))
            throw new ArgumentException(
                $"--account '{account}' holds characters no scheduler accepts in an account name (letters, digits, "
                    + "_ . @ -). Nothing was submitted."
            );
        var prefix = Scheduler switch
        {
            SchedulerKind.Slurm => "#SBATCH ",
            SchedulerKind.PbsPro or SchedulerKind.Torque => "#PBS ",
            _ => null,
        };
        foreach (var line in Directive)
            if (
                prefix is null
                || !line.StartsWith(prefix, StringComparison.Ordinal)
                || line.Contains('\n', StringComparison.Ordinal)
            )
                throw new ArgumentException(
                    prefix is null
                        ? $"--directive '{line}': the local runner reads no directives. Nothing was submitted."
                        : $"--directive '{line}' must be one line that starts with '{prefix.Trim()}' (e.g. "
                            + $"'{prefix}{(prefix == "#SBATCH " ? "--qos=long" : "-l place=scatter")}'). Nothing was "
                            + $"submitted."
                );
        return new SiteOptions(
            string.IsNullOrWhiteSpace(Mail) ? null : Mail,
            MailOn,
            string.IsNullOrWhiteSpace(Account) ? null : Account,
            Directive
        );
    }

    [GeneratedRegex(@"^[^@\s'""`$]+@[^@\s'""`$]+$")]
    private static partial Regex MailAddress();

    [GeneratedRegex(@"^[A-Za-z0-9_.@-]+$")]
    private static partial Regex AccountName();
}
