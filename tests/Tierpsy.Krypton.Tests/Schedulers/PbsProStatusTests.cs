using Tierpsy.Krypton.Remote;
using Tierpsy.Krypton.Schedulers;
using Tierpsy.Krypton.TestSupport;
using Tierpsy.Krypton.Workflow;

namespace Tierpsy.Krypton.Tests.Schedulers;

/// <summary>
/// PBS Pro's status command run for real by bash against a <c>qstat</c> that replays real OpenPBS 23.06.06 answers
/// (tests/fixtures/pbs-recorded) and behaves as the OpenPBS builds after 23.06.06 do when given several ids: it
/// answers for the first one only (openpbs/openpbs#2672, recording 23).
/// </summary>
public sealed class PbsProStatusTests : IDisposable
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private readonly TempDirectory _bin = new("krypton fake pbs");

    public void Dispose() => _bin.Dispose();

    /// <summary>
    /// Array 2[] of recording 04 (four sub-jobs running, one queued) and array 12[] of recording 36 (ended).
    /// </summary>
    private static readonly SubmittedChunk[] TwoArrays =
    [
        new(new ArrayChunk(1, 0, 5), "2[].pbshost"),
        new(new ArrayChunk(2, 5, 3), "12[].pbshost"),
    ];

    /// <summary>
    /// Writes the fake <c>qstat</c>: <c>-Bf</c> prints recording 38 (job history on, or off), a JSON query prints the
    /// recorded answer of its first id (04 for 2[], 36 for 12[] when history is on; any other id, and 12[] once its
    /// history is gone, is unknown as in recording 27c). Every call is appended to calls.txt.
    /// </summary>
    private void FakeQstat(bool history)
    {
        void Save(string name, PbsRecording r, string? unknownId = null)
        {
            _bin.Write($"{name}.out", r.Stdout);
            var stderr = unknownId is null
                ? r.Stderr
                : r.Stderr.Replace("99999[].pbshost", unknownId, StringComparison.Ordinal);
            _bin.Write($"{name}.err", stderr);
            _bin.Write($"{name}.exit", r.ExitCode.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        var server = PbsRecording.Read("38_qstat_Bf");
        var historyOff = server.Stdout.Replace(
            "job_history_enable = True",
            "job_history_enable = False",
            StringComparison.Ordinal
        );
        _bin.Write("server.out", history ? server.Stdout : historyOff);
        Save("running", PbsRecording.Read("04_qstat_f_F_json_x_t_running"));
        Save("ended", PbsRecording.Read("36_qstat_f_F_json_x_t_exit3_array"));
        var unknown = PbsRecording.Read("27c_qstat_f_F_json_x_t_unknown_array");
        foreach (var id in new[] { "12[].pbshost", "99999[].pbshost" })
            Save($"unknown-{id}", unknown, id);
        var script = $$"""
            #!/bin/bash
            d='{{_bin.Path}}'
            echo "$*" >> "$d/calls.txt"
            if [ "$1" = -Bf ]; then cat "$d/server.out"; exit 0; fi
            history={{(history ? "1" : "0")}}
            x=0; ids=()
            for a in "$@"; do case "$a" in -x) x=1 ;; -*|json) ;; *) ids+=("$a") ;; esac; done
            if [ "$x" = 1 ] && [ "$history" = 0 ]; then echo "qstat: -x refused: no job history (fake)" >&2; exit 1; fi
            case "${ids[0]}" in
              '2[].pbshost') r=running ;;
              '12[].pbshost') if [ "$history" = 1 ]; then r=ended; else r='unknown-12[].pbshost'; fi ;;
              *) r="unknown-${ids[0]}" ;;
            esac
            cat "$d/$r.out"; cat "$d/$r.err" >&2; exit "$(cat "$d/$r.exit")"
            """;
        var qstat = _bin.Write("qstat", script.Replace("\r\n", "\n", StringComparison.Ordinal) + "\n");
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(qstat, (UnixFileMode)0b111_101_101);
    }

    private async Task<(IReadOnlyList<SchedulerTask> Tasks, CommandResult Status)> StatusAsync(
        IReadOnlyList<SubmittedChunk> chunks
    )
    {
        var scheduler = new PbsProScheduler();
        var run = await ProcessRunner.RunAsync(
            "bash",
            ["-c", scheduler.StatusCommand(chunks)],
            _bin.Path,
            new Dictionary<string, string?> { ["PATH"] = _bin.Path + ":" + Environment.GetEnvironmentVariable("PATH") },
            cancellation: Ct
        );
        var status = new CommandResult(run.ExitCode, run.Output, run.Error);
        return (scheduler.ParseStatus(status, chunks), status);
    }

    private string[] Calls() => File.ReadAllLines(Path.Combine(_bin.Path, "calls.txt"));

    [Fact]
    public async Task Every_array_is_known_although_qstat_answers_only_for_the_first_of_several_ids()
    {
        FakeQstat(history: true);

        var (tasks, _) = await StatusAsync(TwoArrays);

        Assert.Equal(
            [
                SchedulerTaskState.Running,
                SchedulerTaskState.Running,
                SchedulerTaskState.Running,
                SchedulerTaskState.Running,
                SchedulerTaskState.Queued,
                SchedulerTaskState.Ended,
                SchedulerTaskState.Ended,
                SchedulerTaskState.Ended,
            ],
            tasks.Select(t => t.State)
        );
        Assert.Equal([0, 3, 0], tasks.Skip(5).Select(t => t.ExitCode ?? -1));
        Assert.Equal(["-Bf", "-f -F json -x -t 2[].pbshost", "-f -F json -x -t 12[].pbshost"], Calls());
    }

    [Fact]
    public async Task An_unknown_array_leaves_its_tasks_not_listed_and_the_known_arrays_answer_is_kept()
    {
        FakeQstat(history: true);
        SubmittedChunk[] chunks =
        [
            new(new ArrayChunk(1, 0, 2), "99999[].pbshost"),
            TwoArrays[0] with
            {
                Chunk = new ArrayChunk(2, 2, 5),
            },
        ];

        var (tasks, status) = await StatusAsync(chunks);

        Assert.Contains("Unknown Job Id 99999[].pbshost", status.Error); // exit 153, a JSON skeleton on stdout
        Assert.Equal([SchedulerTaskState.NotListed, SchedulerTaskState.NotListed], tasks.Take(2).Select(t => t.State));
        Assert.Equal(4, tasks.Skip(2).Count(t => t.State == SchedulerTaskState.Running));
    }

    [Fact]
    public async Task Without_job_history_qstat_is_asked_without_x_and_a_finished_array_is_not_listed()
    {
        FakeQstat(history: false);

        var (tasks, _) = await StatusAsync(TwoArrays);

        Assert.DoesNotContain(Calls(), c => c.Contains("-x", StringComparison.Ordinal));
        Assert.Equal(5, tasks.Take(5).Count(t => t.State is SchedulerTaskState.Running or SchedulerTaskState.Queued));
        Assert.All(tasks.Skip(5), t => Assert.Equal(SchedulerTaskState.NotListed, t.State));
    }

    [Fact]
    public async Task An_array_whose_query_fails_is_unknown_and_a_qstat_that_fails_for_every_array_is_an_error()
    {
        FakeQstat(history: true);
        File.WriteAllText(Path.Combine(_bin.Path, "ended.exit"), "2");
        File.WriteAllText(Path.Combine(_bin.Path, "ended.out"), "");
        File.WriteAllText(
            Path.Combine(_bin.Path, "ended.err"),
            "qstat: cannot connect to server pbshost (errno=111)\n"
        );

        var (tasks, _) = await StatusAsync(TwoArrays);

        Assert.All(tasks.Skip(5), t => Assert.Equal(SchedulerTaskState.Unknown, t.State));
        await Assert.ThrowsAsync<SchedulerException>(() => StatusAsync([TwoArrays[1]]));
    }

    [Fact]
    public void Why_pbs_ended_a_task_comes_from_its_exit_status_and_whether_it_ran()
    {
        // Recording 24: after the array ended; 2[2] was deleted while running (271), 2[5] while queued (no exec_host).
        var ended = Framed(("2[].pbshost", PbsRecording.Read("24_qstat_f_F_json_x_t_after_end")));
        // Recording 37: a plain job killed at its walltime (Exit_status -29).
        var walltime = Framed(("13.pbshost", PbsRecording.Read("37_qstat_f_F_json_x_walltime_killed_plain")));
        var scheduler = new PbsProScheduler();

        var causes = scheduler.ParseEnds(ended, [TwoArrays[0]]);
        var killed = scheduler.ParseEnds(walltime, [new SubmittedChunk(new ArrayChunk(1, 0, 1), "13.pbshost")]);

        Assert.Equal(
            [(2, TaskEndCause.Cancelled), (5, TaskEndCause.CancelledBeforeStart)],
            causes.OrderBy(c => c.Key).Select(c => (c.Key, c.Value))
        );
        Assert.Equal(TaskEndCause.Walltime, killed[1]);
    }

    [Fact]
    public void Monitor_names_sub_jobs_deleted_while_queued_or_running_as_cancelled_not_lost()
    {
        var afterEnd = Framed(("2[].pbshost", PbsRecording.Read("24_qstat_f_F_json_x_t_after_end")));
        var status = new PbsProScheduler().ParseStatus(afterEnd, [TwoArrays[0]]);
        var submission = new Submission
        {
            Id = "s1",
            Attempt = 1,
            Scheduler = SchedulerKind.PbsPro,
            SubmittedAt = DateTimeOffset.UtcNow,
            Directory = "/w",
            Videos = ["/v1", "/v2", "/v3", "/v4", "/v5"],
            Arrays = [new SubmittedArray(1, 0, 5, "2[].pbshost")],
        };
        // 2[2] was deleted while running: the job script's trap wrote exit 143. 2[5] never started: no log.
        var logs = new Dictionary<int, LogReading>
        {
            [1] = new(1, true, "FEAT_TIERPSY", 0),
            [2] = new(2, true, "COMPRESS", 143),
            [3] = new(3, true, "FEAT_TIERPSY", 0),
            [4] = new(4, true, "FEAT_TIERPSY", 0),
            [5] = new(5, false, null, null),
        };

        var progress = MonitorRound.Combine(submission, status, logs, null);

        Assert.Equal(
            [TaskPhase.Cancelled, TaskPhase.Cancelled],
            progress.Where(p => p.Task is 2 or 5).Select(p => p.Phase)
        );
        Assert.True(progress.All(p => p.HasEnded));
    }

    [Theory]
    [InlineData("S", SchedulerTaskState.Running)]
    [InlineData("U", SchedulerTaskState.Running)]
    [InlineData("M", SchedulerTaskState.Unknown)]
    [InlineData("X", SchedulerTaskState.Ended)]
    [InlineData("H", SchedulerTaskState.Queued)]
    public void Pbs_states_are_read_as_pbs_documents_them(string state, object expected)
    {
        var recorded = PbsRecording.Read("04_qstat_f_F_json_x_t_running");
        var json = recorded.Stdout.Replace(
            "\"job_state\":\t\"Q\"",
            $"\"job_state\":\t\"{state}\"",
            StringComparison.Ordinal
        );

        var tasks = new PbsProScheduler().ParseStatus(
            Framed(("2[].pbshost", recorded with { Stdout = json })),
            [TwoArrays[0]]
        );

        Assert.Equal((SchedulerTaskState)expected, tasks[4].State); // 2[5], queued in the recording
    }

    [Fact]
    public void A_queued_sub_job_showing_its_arrays_began_comment_has_no_pending_reason()
    {
        var recorded = PbsRecording.Read("04_qstat_f_F_json_x_t_running");

        var tasks = new PbsProScheduler().ParseStatus(Framed(("2[].pbshost", recorded)), [TwoArrays[0]]);

        Assert.Equal(SchedulerTaskState.Queued, tasks[4].State);
        Assert.Null(tasks[4].Waiting); // recording 04: "Job Array Began at Fri Dec 04 at 19:33"
    }

    /// <summary>
    /// No recording holds a scheduler comment (the recorded jobs all could run): these use recording 04 with the
    /// queued sub-job's comment replaced by what OpenPBS's scheduler writes (translate_fail_code: the prefix, then the
    /// reason).
    /// </summary>
    [Theory]
    [InlineData("Not Running: Insufficient amount of resource: ncpus", "Insufficient amount of resource: ncpus", false)]
    [InlineData(
        "Can Never Run: Insufficient amount of resource: ncpus (R: 64 A: 4 T: 4)",
        "Can Never Run: Insufficient amount of resource: ncpus (R: 64 A: 4 T: 4)",
        true
    )]
    public void A_queued_sub_job_waits_for_the_reason_in_the_schedulers_comment(
        string comment,
        string reason,
        bool neverResolves
    )
    {
        var recorded = PbsRecording.Read("04_qstat_f_F_json_x_t_running");
        var queued = recorded.Stdout.IndexOf("\"job_state\":\t\"Q\"", StringComparison.Ordinal);
        var began = recorded.Stdout.IndexOf("Job Array Began at Fri Dec 04 at 19:33", queued, StringComparison.Ordinal);
        var json = string.Concat(
            recorded.Stdout.AsSpan(0, began),
            comment,
            recorded.Stdout.AsSpan(began + "Job Array Began at Fri Dec 04 at 19:33".Length)
        );

        var tasks = new PbsProScheduler().ParseStatus(
            Framed(("2[].pbshost", recorded with { Stdout = json })),
            [TwoArrays[0]]
        );

        Assert.Equal(reason, tasks[4].Waiting);
        Assert.Equal(neverResolves, PendingReasons.Advice(reason) is not null);
    }

    [Fact]
    public void Ended_sub_jobs_give_the_memory_they_used_from_pbs_job_history()
    {
        var recorded = PbsRecording.Read("24_qstat_f_F_json_x_t_after_end");

        var used = PbsProScheduler.MemoryUsed(Framed(("2[].pbshost", recorded)), [TwoArrays[0]]);

        Assert.Equal(7200L << 10, used[1]); // "mem": "7200kb"
        Assert.False(used.ContainsKey(2)); // "0kb" (deleted while running, recording 07): no figure
    }

    /// <summary>The status command's output for these answers, framed as its shell loop frames them.</summary>
    private static CommandResult Framed(params (string Id, PbsRecording Answer)[] answers) =>
        new(
            0,
            string.Concat(
                answers.Select(a =>
                    $"\n=== krypton qstat {a.Id} ===\n{a.Answer.Stdout}\n=== krypton exit {a.Answer.ExitCode} ===\n"
                )
            ),
            string.Concat(answers.Select(a => $"\n=== krypton qstat {a.Id} ===\n{a.Answer.Stderr}"))
        );
}
