using Tierpsy.Krypton.Remote;
using Tierpsy.Krypton.Schedulers;
using Tierpsy.Krypton.Targets;
using Tierpsy.Krypton.Tests.Targets;
using Tierpsy.Krypton.TestSupport;
using Tierpsy.Krypton.Workflow;

namespace Tierpsy.Krypton.Tests.Workflow;

/// <summary>The workflow targets against a fake cluster: what they send, in what order, and what they refuse.</summary>
public class WorkflowTests
{
    private sealed class FakeClusterBuild : TierpsyBuild
    {
        public FakeRemote Remote { get; set; } = new(_ => new CommandResult(0, "", ""));
        protected override TimeSpan MinimumPollInterval => TimeSpan.Zero;

        private protected override Task<IRemote> ConnectAsync(CancellationToken cancellationToken) =>
            Task.FromResult<IRemote>(Remote);
    }

    /// <summary>
    /// A listing fixture as the project of <see cref="Project"/> would get it (its videos below ~/tierpsy_demo).
    /// </summary>
    private static string DemoListing(string fixture) =>
        Fixtures
            .Read(fixture)
            .Replace("/mnt/storage/home/jdoe/tierpsy_sample", "/home/jdoe/tierpsy_demo", StringComparison.Ordinal);

    private static TempDirectory Project(
        string parameters =
            """{ "Host": "localhost", "User": "jdoe", "Scheduler": "slurm", "RemoteRoot": "~/tierpsy_demo", "ParamsFile": "AuxiliaryFiles/p.json", "PollInterval": "0s" }"""
    )
    {
        var project = new TempDirectory("krypton-workflow");
        project.Write(".krypton/parameters.json", parameters);
        project.Write("AuxiliaryFiles/p.json", Fixtures.Read("params/loopbio_rig_96WP_splitFOV_NN_20220310.json"));
        return project;
    }

    [Fact]
    public void Monitor_lists_the_first_ten_failed_tasks_and_says_how_many_more_verify_names()
    {
        using var project = Project();
        var videos = Enumerable
            .Range(1, 15)
            .Select(i => $"/home/jdoe/tierpsy_demo/RawVideos/20210504/cam{i}/metadata.yaml");
        new ProjectState(AbsolutePath.Create(project.Path)).Save(
            new Submission
            {
                Id = "s15",
                Attempt = 1,
                Scheduler = SchedulerKind.Slurm,
                SubmittedAt = DateTimeOffset.UtcNow.AddHours(-2),
                Directory = "/home/jdoe/tierpsy_demo/workspace/submissions/s15",
                Videos = videos.ToList(),
                Arrays = [new SubmittedArray(1, 0, 15, "301")],
            }
        );
        var remote = new FakeRemote(command =>
            command.StartsWith("squeue", StringComparison.Ordinal)
                ? new CommandResult(
                    0,
                    string.Concat(Enumerable.Range(1, 15).Select(i => $"301_{i}|FAILED|NonZeroExitCode\n")),
                    ""
                )
                : new CommandResult(0, string.Concat(Enumerable.Range(1, 15).Select(t => $"{t}|1|SKE_INIT|1\n")), "")
        );

        var run = BuildHarness.Run(["Monitor"], root: project.Path, build: new FakeClusterBuild { Remote = remote });

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("submission s15, 2:00:0", run.Output); // the time since Submit
        Assert.Contains("task   10  Failed (exit 1) in SKE_INIT", run.Output);
        Assert.DoesNotContain("task   11", run.Output);
        Assert.Contains("and 5 more, see Verify", run.Output);
    }

    [Fact]
    public void Monitor_sends_exactly_one_scheduler_command_per_round_for_1000_tasks()
    {
        using var project = Project();
        var videos = Enumerable
            .Range(1, 1000)
            .Select(i => $"/home/jdoe/tierpsy_demo/RawVideos/20210504/cam{i}/metadata.yaml")
            .ToList();
        new ProjectState(AbsolutePath.Create(project.Path)).Save(
            new Submission
            {
                Id = "20261125-190000",
                Attempt = 1,
                Scheduler = SchedulerKind.Slurm,
                SubmittedAt = DateTimeOffset.UtcNow,
                Directory = "/home/jdoe/tierpsy_demo/workspace/submissions/20261125-190000",
                Videos = videos,
                Arrays = [new SubmittedArray(1, 0, 500, "101"), new SubmittedArray(2, 500, 500, "102")],
            }
        );
        var round = 0;
        var remote = new FakeRemote(command =>
        {
            if (command.StartsWith("squeue", StringComparison.Ordinal))
            {
                round++;
                return new CommandResult(
                    0,
                    round == 1
                            ? string.Concat(
                                Enumerable
                                    .Range(1, 500)
                                    .Select(i => $"101_{i}|RUNNING|None\n102_{i}|PENDING|Resources\n")
                            )
                        : round == 2 ? string.Concat(Enumerable.Range(1, 500).Select(i => $"102_{i}|RUNNING|None\n"))
                        : "",
                    ""
                );
            }
            var tasks = System
                .Text.RegularExpressions.Regex.Match(command, "awk -v tasks='?([0-9 ]+)")
                .Groups[1]
                .Value.Split(' ', StringSplitOptions.RemoveEmptyEntries)
                .Select(int.Parse);
            return new CommandResult(
                0,
                string.Concat(
                    tasks.Select(t =>
                        round switch
                        {
                            1 => t <= 500 ? $"{t}|1|TRAJ_CREATE|\n" : $"{t}|0||\n",
                            2 => t <= 500 ? $"{t}|1|FEAT_TIERPSY|0\n" : $"{t}|1|COMPRESS|\n",
                            _ => $"{t}|1|FEAT_TIERPSY|{(t == 777 ? 1 : 0)}\n",
                        }
                    )
                ),
                ""
            );
        });

        var run = BuildHarness.Run(["Monitor"], root: project.Path, build: new FakeClusterBuild { Remote = remote });

        Assert.Equal(3, round);
        Assert.Equal(
            3,
            remote.Commands.Count(c => c.StartsWith("squeue -r -h -t all -j 101,102 ", StringComparison.Ordinal))
        );
        Assert.Equal(3, remote.Commands.Count(c => c.Contains("awk -v tasks=", StringComparison.Ordinal)));
        Assert.Equal(6, remote.Commands.Count);
        Assert.DoesNotContain(" 1 2 3 ", remote.Commands[^1]); // the last round reads only the logs of tasks still open
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("Running 500 (COMPRESS 500) · Succeeded 500", run.Output);
        Assert.Contains("Queued 500 (waiting: Resources 500) · Running 500 (TRAJ_CREATE 500)", run.Output);
        Assert.DoesNotContain("task  501", run.Output); // running tasks are counted, not listed one by one
        Assert.Contains("Succeeded 999 · Failed 1", run.Output);
        Assert.Contains("task  777  Failed (exit 1) in FEAT_TIERPSY  20210504/cam777/metadata.yaml", run.Output);
    }

    [Fact]
    public void A_submission_the_scheduler_no_longer_knows_is_named_after_a_few_rounds_without_logs()
    {
        using var project = Project();
        new ProjectState(AbsolutePath.Create(project.Path)).Save(
            new Submission
            {
                Id = "old",
                Attempt = 1,
                Scheduler = SchedulerKind.Slurm,
                SubmittedAt = DateTimeOffset.UtcNow,
                Directory = "/home/jdoe/tierpsy_demo/workspace/submissions/old",
                Videos = ["/v1.yaml", "/v2.yaml"],
                Arrays = [new SubmittedArray(1, 0, 2, "55")],
            }
        );
        var remote = new FakeRemote(command =>
            command.StartsWith("squeue", StringComparison.Ordinal)
                ? new CommandResult(1, "", "slurm_load_jobs error: Invalid job id specified\n")
                : new CommandResult(0, "1|0||\n2|0||\n", "")
        );

        var run = BuildHarness.Run(["Monitor"], root: project.Path, build: new FakeClusterBuild { Remote = remote });

        Assert.Equal(1, run.ExitCode);
        Assert.Equal(
            MonitorRound.UnlistedRoundsBeforeLost,
            remote.Commands.Count(c => c.StartsWith("squeue", StringComparison.Ordinal))
        );
        Assert.Contains("The scheduler does not know submission old (job 55)", run.Error);
    }

    [Fact]
    public void A_missing_parameter_file_stops_before_anything_is_sent_to_the_cluster()
    {
        using var project = Project();
        File.Delete(Path.Combine(project.Path, "AuxiliaryFiles", "p.json"));
        var build = new FakeClusterBuild();

        var run = BuildHarness.Run(["Submit"], root: project.Path, build: build);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains(
            "AuxiliaryFiles/p.json does not exist. Check \"ParamsFile\" in .krypton/parameters.json. Nothing was done "
                + "on the cluster.",
            run.Error
        );
        Assert.Empty(build.Remote.Commands);
        Assert.Empty(build.Remote.Files);
    }

    [Fact]
    public void A_parameter_file_that_is_not_json_stops_before_anything_is_sent()
    {
        using var project = Project();
        project.Write("AuxiliaryFiles/p.json", "{ \"analysis_type\": \"TIERPSY\",\n  \"mask_min_area\": 200,, }");
        var build = new FakeClusterBuild();

        var run = BuildHarness.Run(["ListFiles"], root: project.Path, build: build);

        Assert.Contains("is not valid JSON (line 2", run.Error);
        Assert.Empty(build.Remote.Commands);
    }

    [Fact]
    public void Submit_splits_a_list_larger_than_the_site_cap_and_records_every_array()
    {
        using var project = Project();
        var listing = DemoListing("generated/listing/tierpsy_output__mp4_pattern_on_mixed_tree.txt");
        var jobs = 100;
        var remote = new FakeRemote(command =>
            command.Contains("tierpsy_process", StringComparison.Ordinal) ? new CommandResult(0, listing, "")
            : command == "scontrol show config" ? new CommandResult(0, "MaxArraySize            = 3\n", "")
            : command.Contains("sbatch --parsable", StringComparison.Ordinal) ? new CommandResult(0, $"{++jobs}\n", "")
            : new CommandResult(0, "", "")
        );

        var run = BuildHarness.Run(["Submit"], root: project.Path, build: new FakeClusterBuild { Remote = remote });

        Assert.True(run.ExitCode == 0, run.All);
        var submission = new ProjectState(AbsolutePath.Create(project.Path)).Load()!;
        Assert.Equal(5, submission.Videos.Count);
        Assert.Equal(
            [(0, 2, "101"), (2, 2, "102"), (4, 1, "103")],
            submission.Arrays.Select(a => (a.Offset, a.Count, a.JobId))
        );
        Assert.Contains("The site accepts at most 2 tasks per array, so the 5 tasks go in 3 arrays.", run.Output);
        Assert.Equal(5, remote.Files[$"{submission.Directory}/tasks.txt"].TrimEnd('\n').Split('\n').Length);
        Assert.Contains("TASK=$((INDEX + 4))", remote.Files[$"{submission.Directory}/job.3.sh"]);
    }

    [Fact]
    public void Submit_with_nothing_to_process_submits_nothing()
    {
        using var project = Project();
        var remote = new FakeRemote(command =>
            command.Contains("tierpsy_process", StringComparison.Ordinal)
                ? new CommandResult(0, DemoListing("generated/listing/tierpsy_output__all_finished.txt"), "")
                : new CommandResult(0, "", "")
        );

        var run = BuildHarness.Run(["Submit"], root: project.Path, build: new FakeClusterBuild { Remote = remote });

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("Nothing to submit: no video needs processing (1 finished, 0 invalid).", run.Output);
        Assert.DoesNotContain(remote.Commands, c => c.Contains("sbatch", StringComparison.Ordinal));
        Assert.Null(new ProjectState(AbsolutePath.Create(project.Path)).Load());
    }

    [Fact]
    public void Invalid_summarizer_options_are_refused_before_anything_is_sent()
    {
        using var project = Project();
        var build = new FakeClusterBuild();

        var run = BuildHarness.Run(
            ["Summarize", "--time-windows", "first hour", "--filter-width-min", "300"],
            root: project.Path,
            build: build
        );

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("The summarizer options are not valid; nothing was submitted:", run.Error);
        Assert.Contains("--filter-width-min (300) must be below --filter-width-max (200).", run.Error);
        Assert.Empty(build.Remote.Commands);
    }

    private sealed class ConfiguringBuild : TierpsyBuild
    {
        public FakeRemote Remote { get; } = new(_ => new CommandResult(0, "", ""));
        public SummarizerSettings? Received { get; private set; }

        protected override SummarizerSettings ConfigureSummarizer(SummarizerSettings settings)
        {
            Received = settings;
            return settings with { FilterWidthMax = 100 };
        }

        private protected override Task<IRemote> ConnectAsync(CancellationToken cancellationToken) =>
            Task.FromResult<IRemote>(Remote);
    }

    [Fact]
    public void A_build_script_has_the_last_word_on_the_summarizer_options_the_command_line_set()
    {
        using var project = Project();
        var build = new ConfiguringBuild();

        var run = BuildHarness.Run(
            ["Summarize", "--time-windows", "0:300", "--filter-width-min", "150"],
            root: project.Path,
            build: build
        );

        Assert.Equal("0:300", build.Received?.TimeWindows);
        Assert.Equal(150, build.Received?.FilterWidthMin);
        Assert.Contains("--filter-width-min (150) must be below --filter-width-max (100).", run.Error);
        Assert.Empty(build.Remote.Commands);
    }

    [Fact]
    public void A_crashed_listing_submits_nothing_and_keeps_no_stale_task_list()
    {
        using var project = Project();
        var remote = new FakeRemote(command =>
            command.Contains("tierpsy_process", StringComparison.Ordinal)
                ? new CommandResult(1, "", Fixtures.Read("generated/errors/stderr__tierpsy2022_with_20200526_json.txt"))
                : new CommandResult(0, "", "")
        );

        var run = BuildHarness.Run(["Submit"], root: project.Path, build: new FakeClusterBuild { Remote = remote });

        Assert.Equal(1, run.ExitCode);
        Assert.Contains(
            "The parameter file does not match the Tierpsy version on the cluster: Tierpsy rejects the key "
                + "\"MWP_well_masked_edge\"",
            run.Error
        );
        Assert.DoesNotContain(remote.Commands, c => c.Contains("sbatch", StringComparison.Ordinal));
        Assert.Equal(
            "",
            File.ReadAllText(Path.Combine(project.Path, ".krypton", "state", "listing", "files2process.txt"))
        );
    }

    /// <summary>
    /// A project whose one submission ran the two unprocessed videos of the listing fixture as tasks 1 and 2.
    /// </summary>
    private static TempDirectory VerifyProject(SchedulerKind scheduler = SchedulerKind.Slurm, string jobId = "24")
    {
        var project = Project();
        new ProjectState(AbsolutePath.Create(project.Path)).Save(
            new Submission
            {
                Id = "s1",
                Attempt = 1,
                Scheduler = scheduler,
                SubmittedAt = DateTimeOffset.UtcNow,
                Directory = "/home/jdoe/tierpsy_demo/workspace/submissions/s1",
                Videos =
                [
                    "/home/jdoe/tierpsy_demo/RawVideos/20210504/a.mp4",
                    "/home/jdoe/tierpsy_demo/RawVideos/20210505/sub/b.mp4",
                ],
                Arrays = [new SubmittedArray(1, 0, 2, jobId)],
            }
        );
        return project;
    }

    /// <summary>The listing of two unprocessed videos and one invalid one, with --unmet_requirements.</summary>
    private static readonly string ListingWithInvalid =
        DemoListing("generated/listing/tierpsy_output__mp4_2_unprocessed_1_invalid.txt")
        + "can_read_video : /home/jdoe/tierpsy_demo/RawVideos/20210504/c_empty.mp4\n";

    /// <summary>A fake cluster for Verify: the listing, the two task logs, and the scheduler's other answers.</summary>
    private static FakeRemote VerifyCluster(string log1, string log2, Func<string, CommandResult?>? scheduler = null) =>
        new(command =>
            command.Contains("tierpsy_process", StringComparison.Ordinal) ? new CommandResult(0, ListingWithInvalid, "")
            : command.StartsWith("for f in", StringComparison.Ordinal)
                ? new CommandResult(
                    0,
                    $"\n=== krypton log /home/jdoe/tierpsy_demo/workspace/submissions/s1/logs/1.log ===\n{log1}"
                        + $"\n=== krypton log /home/jdoe/tierpsy_demo/workspace/submissions/s1/logs/2.log ===\n{log2}",
                    ""
                )
            : scheduler?.Invoke(command) ?? new CommandResult(0, "", "")
        );

    private const string NotStartedLog = """
        # krypton task 1 of 2
        /x/job.1.sh: line 14: module: command not found
        bash: line 1: python: command not found
        # krypton exit 127

        """;

    [Fact]
    public void Verify_names_invalid_videos_with_their_requirement_and_does_not_count_them_as_unfinished()
    {
        using var project = VerifyProject();
        var remote = VerifyCluster(NotStartedLog, NotStartedLog);

        var run = BuildHarness.Run(["Verify"], root: project.Path, build: new FakeClusterBuild { Remote = remote });

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("--unmet_requirements", remote.Commands[0]);
        Assert.Contains("2 of 2 videos are not finished:", run.Output);
        Assert.Contains("1 videos are invalid: Tierpsy cannot process them, so they are never resubmitted.", run.All);
        Assert.Contains("  20210504/c_empty.mp4\n      Tierpsy cannot read the video (can_read_video)", run.All);
        Assert.DoesNotContain("3 videos are not finished", run.All);
    }

    [Fact]
    public void Verify_says_a_task_that_never_started_tierpsy_did_not_start_and_suggests_doctor()
    {
        using var project = VerifyProject();
        var remote = VerifyCluster(NotStartedLog, NotStartedLog);

        var run = BuildHarness.Run(["Verify"], root: project.Path, build: new FakeClusterBuild { Remote = remote });

        Assert.Contains(
            "submission s1 task 1, attempt 1: did not start: module: command not found (exit code 127)",
            run.Output
        );
        Assert.DoesNotContain("killed", run.Output, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("run Doctor", run.Error);
        Assert.DoesNotContain("--resubmit submits", run.Error);
    }

    [Fact]
    public void Verify_says_why_slurm_killed_a_task_when_its_accounting_knows()
    {
        using var project = VerifyProject();
        const string cut = """
            # krypton task 1 of 2
            COMPRESS
            TRAJ_CREATE
            # krypton: stopped by SIGTERM (walltime, memory limit or cancel)
            # krypton exit 143

            """;
        var remote = VerifyCluster(cut, cut, command =>
            command.StartsWith("sacct", StringComparison.Ordinal)
                ? new CommandResult(0, "24_1|TIMEOUT|0:15\n24_2|OUT_OF_MEMORY|0:125\n", "")
                : null
        );

        var run = BuildHarness.Run(["Verify"], root: project.Path, build: new FakeClusterBuild { Remote = remote });

        Assert.Contains(
            "task 1, attempt 1: Killed in TRAJ_CREATE: killed at the walltime (raise --walltime)",
            run.Output
        );
        Assert.Contains(
            "task 2, attempt 1: Killed in TRAJ_CREATE: killed for using more memory than requested "
                + "(raise --memory)",
            run.Output
        );
    }

    [Fact]
    public void Verify_resubmit_asks_a_video_killed_at_a_limit_for_twice_as_much_in_its_own_array()
    {
        using var project = VerifyProject();
        project.Write(
            ".krypton/parameters.json",
            """
            { "Host": "localhost", "User": "jdoe", "Scheduler": "slurm", "RemoteRoot": "~/tierpsy_demo",
              "ParamsFile": "AuxiliaryFiles/p.json", "PollInterval": "0s", "Memory": "16gb" }
            """
        );
        const string cut = """
            # krypton task 1 of 2
            COMPRESS
            # krypton: stopped by SIGTERM (walltime, memory limit or cancel)
            # krypton exit 143

            """;
        var remote = VerifyCluster(cut, cut, command =>
            command.StartsWith("sacct", StringComparison.Ordinal)
                ? new CommandResult(0, "24_1|TIMEOUT|0:15\n24_2|OUT_OF_MEMORY|0:125\n", "")
                : SlurmThatResubmits(command)
        );

        var run = BuildHarness.Run(
            ["Verify", "--resubmit"],
            root: project.Path,
            build: new FakeClusterBuild { Remote = remote }
        );

        Assert.True(run.ExitCode == 0, run.All);
        Assert.Contains("1 video: walltime raised from 30:00:00 to 60:00:00 (killed at the walltime", run.Output);
        Assert.Contains("1 video: memory raised from 16gb to 32gb (killed for memory", run.Output);
        var scripts = remote.Files.Where(f => f.Key.EndsWith("/job.1.sh", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, scripts.Count); // one array per set of resources
        Assert.Single(scripts, f =>
            f.Value.Contains("--time=60:00:00\n", StringComparison.Ordinal)
            && f.Value.Contains("--mem=16G\n", StringComparison.Ordinal)
        );
        Assert.Single(scripts, f =>
            f.Value.Contains("--time=30:00:00\n", StringComparison.Ordinal)
            && f.Value.Contains("--mem=32G\n", StringComparison.Ordinal)
        );
    }

    [Fact]
    public void Verify_keeps_the_general_wording_for_a_kill_where_slurm_keeps_no_accounting()
    {
        using var project = VerifyProject();
        const string cut = "# krypton task 1 of 2\nCOMPRESS\n";
        var remote = VerifyCluster(cut, cut, command =>
            command.StartsWith("sacct", StringComparison.Ordinal)
                ? new CommandResult(1, "", "Slurm accounting storage is disabled\n")
                : null
        );

        var run = BuildHarness.Run(["Verify"], root: project.Path, build: new FakeClusterBuild { Remote = remote });

        Assert.Contains(
            "Killed in COMPRESS: the log stops without an end: killed (walltime, memory or node failure)",
            run.Output
        );
    }

    [Fact]
    public void Verify_resubmit_that_submitted_the_unfinished_videos_succeeds()
    {
        using var project = VerifyProject();
        const string traceback = """
            COMPRESS
            Traceback (most recent call last):
            OSError: [Errno 5] Input/output error
            # krypton exit 1

            """;
        var remote = VerifyCluster(traceback, traceback, SlurmThatResubmits);

        var run = BuildHarness.Run(
            ["Verify", "--resubmit"],
            root: project.Path,
            build: new FakeClusterBuild { Remote = remote }
        );

        Assert.True(run.ExitCode == 0, run.All);
        Assert.Contains("Resubmitted 2 videos as submission", run.Output);
        Assert.DoesNotContain("Build failed", run.All);
    }

    [Theory]
    [InlineData("", true)]
    [InlineData("1\n2\n", false)]
    public void Only_tasks_that_started_use_an_attempt(string startedEarlierLogs, bool resubmitted)
    {
        using var project = VerifyProject();
        var state = new ProjectState(AbsolutePath.Create(project.Path));
        var first = state.Load("s1")!;
        // An earlier submission of the same videos, cancelled before its tasks started (or not: see the logs).
        state.Save(
            first with
            {
                Id = "s0",
                Directory = first.Directory.Replace("/s1", "/s0", StringComparison.Ordinal),
            }
        );
        state.Save(first);
        const string traceback =
            "COMPRESS\nTraceback (most recent call last):\nOSError: [Errno 5] I/O error\n" + "# krypton exit 1\n";
        var remote = VerifyCluster(traceback, traceback, command =>
            command.StartsWith("i=0; for f in", StringComparison.Ordinal)
                ? new CommandResult(0, startedEarlierLogs, "")
                : SlurmThatResubmits(command)
        );

        var run = BuildHarness.Run(
            ["Verify", "--resubmit", "--max-attempts", "2"],
            root: project.Path,
            build: new FakeClusterBuild { Remote = remote }
        );

        var started = remote.Commands.Single(c => c.StartsWith("i=0; for f in", StringComparison.Ordinal));
        Assert.Contains("/submissions/s0/logs/1.log", started);
        Assert.DoesNotContain("/submissions/s1/", started);
        Assert.Equal(resubmitted ? 0 : 1, run.ExitCode);
        Assert.Contains(resubmitted ? "task 1, attempt 1: Traceback" : "task 1, attempt 2: Traceback", run.Output);
        Assert.Equal(resubmitted, run.Output.Contains("Resubmitted 2 videos", StringComparison.Ordinal));
    }

    [Fact]
    public void A_running_task_the_user_cancelled_uses_no_attempt()
    {
        using var project = VerifyProject();
        var state = new ProjectState(AbsolutePath.Create(project.Path));
        state.MarkCancelled(state.Load("s1")!, DateTimeOffset.UtcNow);
        const string started = "# krypton task 1 of 2\nCOMPRESS\n# krypton: stopped by SIGTERM\n# krypton exit 143\n";
        var remote = VerifyCluster(started, started, SlurmThatResubmits);

        var run = BuildHarness.Run(
            ["Verify", "--resubmit", "--max-attempts", "1"],
            root: project.Path,
            build: new FakeClusterBuild { Remote = remote }
        );

        Assert.True(run.ExitCode == 0, run.All);
        Assert.Contains("submission s1 task 1: cancelled by you (", run.Output);
        Assert.Contains("Resubmitted 2 videos", run.Output);
    }

    [Fact]
    public void Verify_names_a_task_cancelled_before_it_started_and_counts_no_attempt_for_it()
    {
        using var project = VerifyProject();
        var remote = VerifyCluster("", "# krypton task 2 of 2\nCOMPRESS\n", command =>
            command.StartsWith("sacct", StringComparison.Ordinal)
                ? new CommandResult(0, "=== krypton squeue\n24_1|CANCELLED|None\n", "accounting storage is disabled")
                : null
        );

        var run = BuildHarness.Run(["Verify"], root: project.Path, build: new FakeClusterBuild { Remote = remote });

        Assert.Contains(
            "submission s1 task 1: cancelled before it started (scancel or qdel); it used no attempt",
            run.Output
        );
        Assert.Contains("submission s1 task 2, attempt 1: Killed in COMPRESS", run.Output);
    }

    [Fact]
    public void Rounds_in_which_the_scheduler_did_not_answer_never_make_a_task_lost()
    {
        using var project = VerifyProject();
        var round = 0;
        var remote = new FakeRemote(command =>
        {
            if (command.StartsWith("squeue", StringComparison.Ordinal))
                return ++round <= 5
                    ? new CommandResult(
                        1,
                        "",
                        "slurm_load_jobs error: Unable to contact slurm controller (connect failure)\n"
                    )
                    : new CommandResult(0, "", "");
            var logs = round <= 5 ? "1|1|COMPRESS|\n2|1|COMPRESS|\n" : "1|1|FEAT_TIERPSY|0\n2|1|FEAT_TIERPSY|0\n";
            return new CommandResult(0, logs, "");
        });

        var run = BuildHarness.Run(["Monitor"], root: project.Path, build: new FakeClusterBuild { Remote = remote });

        Assert.True(run.ExitCode == 0, run.All);
        Assert.Equal(6, round);
        Assert.DoesNotContain("Lost", run.Output);
        Assert.Contains("Succeeded 2", run.Output);
    }

    /// <summary>A cluster whose SLURM controller does not answer; task 1's log has no end, task 2 has none.</summary>
    private static FakeRemote ControllerDownCluster() =>
        new(command =>
            command.StartsWith("squeue", StringComparison.Ordinal)
                ? new CommandResult(
                    1,
                    "",
                    "slurm_load_jobs error: Unable to contact slurm controller (connect failure)\n"
                )
            : command.Contains("awk -v tasks=", StringComparison.Ordinal)
                ? new CommandResult(0, "1|1|COMPRESS|\n2|0||\n", "")
            : new CommandResult(0, "", "")
        );

    [Fact]
    public void Clean_confirm_deletes_nothing_when_the_scheduler_cannot_say_whether_tasks_run()
    {
        using var project = VerifyProject();
        var remote = ControllerDownCluster();

        var run = BuildHarness.Run(
            ["Clean", "--confirm"],
            root: project.Path,
            build: new FakeClusterBuild { Remote = remote }
        );

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("submission s1 (2 tasks whose state the scheduler cannot say, job 24)", run.Error);
        Assert.Contains("Nothing was deleted.", run.Error);
        Assert.Contains(
            "--ignore-unknown-tasks goes on without them (a task that does still run may then lose its "
                + "files, or run twice)",
            run.Error
        );
        Assert.DoesNotContain(remote.Commands, c =>
            c.Contains("rm ", StringComparison.Ordinal) && !c.Contains("/transfer.lock", StringComparison.Ordinal)
        );
    }

    [Fact]
    public void Clean_confirm_goes_on_when_the_user_says_tasks_the_scheduler_cannot_answer_for_have_ended()
    {
        using var project = VerifyProject();
        var remote = ControllerDownCluster();

        var run = BuildHarness.Run(
            ["Clean", "--confirm", "--ignore-unknown-tasks"],
            root: project.Path,
            build: new FakeClusterBuild { Remote = remote }
        );

        Assert.True(run.ExitCode == 0, run.All);
        Assert.Contains("--ignore-unknown-tasks: they count as ended.", run.All);
        Assert.Contains("Nothing to delete.", run.Output);
    }

    [Theory]
    [InlineData(true, "ok    job history: on: qstat -x shows finished tasks")]
    [InlineData(false, "ok    job history: off (OpenPBS's default): finished tasks vanish from qstat at once")]
    public void Doctor_on_pbs_says_whether_the_server_keeps_job_history(bool history, string line)
    {
        using var project = Project(
            """
            { "Host": "localhost", "User": "jdoe", "Scheduler": "pbspro", "RemoteRoot": "~/tierpsy_demo",
              "ParamsFile": "AuxiliaryFiles/p.json" }
            """
        );
        var server = PbsRecording.Read("38_qstat_Bf").Stdout;
        if (!history)
            server = server.Replace("    job_history_enable = True\n", "", StringComparison.Ordinal);
        var remote = new FakeRemote(command =>
            command == "qstat -Bf" ? new CommandResult(0, server, "") : new CommandResult(0, "", "")
        );

        var run = BuildHarness.Run(["Doctor"], root: project.Path, build: new FakeClusterBuild { Remote = remote });

        Assert.Contains("ok    array size: at most 100 tasks per array", run.Output);
        Assert.Contains(line, run.Output);
    }

    /// <summary>What squeue answers for a job it no longer knows.</summary>
    /// <summary>
    /// SLURM's answers when Verify --resubmit submits: no earlier job is known, the array cap is 1000, sbatch
    /// gives job 25; null for any other command.
    /// </summary>
    private static CommandResult? SlurmThatResubmits(string command) =>
        command.StartsWith("squeue", StringComparison.Ordinal) ? InvalidJobId
        : command == "scontrol show config" ? new CommandResult(0, "MaxArraySize = 1001\n", "")
        : command.Contains("sbatch --parsable", StringComparison.Ordinal) ? new CommandResult(0, "25\n", "")
        : null;

    private static readonly CommandResult InvalidJobId = new(
        1,
        "",
        "slurm_load_jobs error: Invalid job id specified\n"
    );

    private static RemoteException Lost(string command) =>
        new($"The connection to fake cluster was lost while running: {command}.")
        {
            Reason = RemoteFailure.ConnectionLost,
            Command = command,
        };

    [Fact]
    public void A_connection_lost_in_a_target_that_is_safe_to_repeat_says_to_run_it_again()
    {
        using var project = VerifyProject();
        var remote = new FakeRemote(command =>
            command.Contains("find ", StringComparison.Ordinal) ? throw Lost(command)
            : command.StartsWith("squeue", StringComparison.Ordinal) ? InvalidJobId
            : new CommandResult(0, "", "")
        );

        var run = BuildHarness.Run(["Clean"], root: project.Path, build: new FakeClusterBuild { Remote = remote });

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("Clean is safe to run again: it resumes where it stopped", run.Error);
        Assert.DoesNotContain("may or may not", run.All);
    }

    [Fact]
    public void A_connection_lost_while_submitting_says_the_array_may_have_been_submitted()
    {
        using var project = Project();
        var remote = new FakeRemote(command =>
            command.Contains("tierpsy_process", StringComparison.Ordinal)
                ? new CommandResult(
                    0,
                    DemoListing("generated/listing/tierpsy_output__mp4_2_unprocessed_1_invalid.txt"),
                    ""
                )
            : command.Contains("sbatch --parsable", StringComparison.Ordinal) ? throw Lost(command)
            : new CommandResult(0, "", "")
        );

        var run = BuildHarness.Run(["Submit"], root: project.Path, build: new FakeClusterBuild { Remote = remote });

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("Array 1 of 1 may or may not have been submitted: look for job", run.Error);
    }
}
