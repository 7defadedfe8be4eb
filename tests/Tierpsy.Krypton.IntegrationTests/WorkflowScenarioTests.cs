using System.Text.Json;
using Tierpsy.Krypton.Remote;
using Tierpsy.Krypton.Targets;
using Tierpsy.Krypton.TestSupport;
using Tierpsy.Krypton.Workflow;

namespace Tierpsy.Krypton.IntegrationTests;

/// <summary>
/// The whole workflow against the real SLURM over the real sshd, and with the local scheduler, with the Tierpsy
/// stand-in (standin/: HDF5 outputs with provenance nodes, as Tierpsy writes them) in place of Tierpsy: Stage from a
/// local share, ListFiles, Submit, Monitor until done, Verify finds the video whose COMPRESS failed, Verify --resubmit
/// submits it again, Monitor, Verify passes, Summarize, Retrieve (which opens every result as HDF5), Clean --confirm.
/// </summary>
public partial class WorkflowScenarioTests
{
    private static readonly string[] Videos =
    [
        "20210504/plate_run1_20210504_120000.22956818",
        "20210504/plate_run2_20210504_130000.22956819",
        "20191108/dmso_run1_20191108_153352.22956809",
    ];

    /// <summary>
    /// The project's build script, as a user would write it for a private test cluster: it polls every second.
    /// </summary>
    private sealed class ScenarioBuild : TierpsyBuild
    {
        protected override TimeSpan MinimumPollInterval => TimeSpan.FromSeconds(1);
    }

    [Fact]
    public Task Slurm_over_ssh()
    {
        TestCluster.Require();
        return RunScenario(SlurmParameters(), TestCluster.Jobs);
    }

    [Fact]
    public Task Local_scheduler_on_this_computer()
    {
        using var cluster = new TempDirectory("krypton-local-cluster");
        return RunScenario(new Dictionary<string, object?> { ["Scheduler"] = "local", ["Cpus"] = 1 }, cluster.Path);
    }

    [Fact]
    public void A_video_that_fails_each_time_on_a_damaged_temp_file_starts_over_with_fresh_tmp()
    {
        using var cluster = new TempDirectory("krypton-local-cluster");
        using var project = new TempDirectory("krypton-project");
        var remoteRoot = Prepare(
            project,
            new Dictionary<string, object?> { ["Scheduler"] = "local", ["Cpus"] = 1 },
            cluster.Path
        );
        var video = Videos[0];
        project.Write(Path.Combine(remoteRoot, "RawVideos", video, "metadata.yaml"), "__store: imgstore\n");
        File.WriteAllText(Path.Combine(remoteRoot, "RawVideos", video, "FAIL_TRAJ_CREATE_ONCE"), "");
        Assert.Equal(0, Run(project.Path, "Submit").ExitCode);
        Assert.Equal(1, Run(project.Path, "Monitor").ExitCode); // TRAJ_CREATE failed; COMPRESS's work stays in Tmp/
        // A kill cut a temp file short (FORMATS.md 5.3): every run that resumes from Tmp/ now fails on it.
        project.Write(Path.Combine(remoteRoot, "Tmp", "Results", video, "metadata_skeletons.hdf5"), "cut short");
        Assert.Contains("Resubmitted 1 videos", Run(project.Path, "Verify", "--resubmit").Output);
        Assert.Equal(1, Run(project.Path, "Monitor").ExitCode);

        var verify = Run(project.Path, "Verify");
        Assert.Contains("Traceback in TRAJ_CREATE", verify.Output);
        Assert.Contains("1 videos have failed more than once", verify.All);
        Assert.Contains("Verify --resubmit --fresh-tmp", verify.All);
        Assert.Contains("use it with --resubmit", Run(project.Path, "Verify", "--fresh-tmp").All);

        var fresh = Run(project.Path, "Verify", "--resubmit", "--fresh-tmp");
        Assert.Contains("Deleted 2 files in Tmp/ of 1 videos: they start over.", fresh.Output);
        Assert.Contains("Resubmitted 1 videos", fresh.Output);
        var monitor = Run(project.Path, "Monitor");
        Assert.True(monitor.ExitCode == 0, monitor.All);
        Assert.Contains("Verified: all 1 videos are finished.", Run(project.Path, "Verify").Output);
    }

    [Fact]
    public void Slurm_makes_the_day_summaries_after_the_videos_and_summarize_takes_them()
    {
        TestCluster.Require();
        SummariesMadeAfterTheVideos(SlurmParameters(), TestCluster.Jobs, "#SBATCH --dependency=afterany:");
    }

    [Fact]
    public void The_local_runner_makes_the_day_summaries_after_the_videos_and_summarize_takes_them()
    {
        using var cluster = new TempDirectory("krypton-local-cluster");
        SummariesMadeAfterTheVideos(
            new Dictionary<string, object?> { ["Scheduler"] = "local", ["Cpus"] = 1 },
            cluster.Path,
            "  while case \"$(ps -o stat= -o args= -p "
        );
    }

    /// <summary>
    /// Submit --then-summarize queues the day summaries behind the videos' array; once Monitor has seen the videos
    /// end, Summarize waits for the summaries, takes them without summarizing again, and joins the days.
    /// </summary>
    private static void SummariesMadeAfterTheVideos(
        Dictionary<string, object?> parameters,
        string clusterFolder,
        string dependencyLine
    )
    {
        using var project = new TempDirectory("krypton-project");
        var remoteRoot = Prepare(project, parameters, clusterFolder);
        foreach (var video in Videos)
            project.Write(Path.Combine(remoteRoot, "RawVideos", video, "metadata.yaml"), "__store: imgstore\n");
        // Each day's summary takes a few seconds, so Summarize finds them still running and waits.
        foreach (var day in new[] { "20191108", "20210504" })
            project.Write(Path.Combine(remoteRoot, "Results", day, "STANDIN_SUMMARY_SECONDS"), "4");
        var state = new ProjectState(AbsolutePath.Create(project.Path));

        var submit = Run(project.Path, "Submit", "--then-summarize");

        Assert.True(submit.ExitCode == 0, submit.All);
        var (videos, summaries) = (
            state.All().Single(s => s.Kind == "tierpsy"),
            state.All().Single(s => s.Kind == "summarize")
        );
        Assert.Equal(videos.Id, state.Load()!.Id); // Monitor follows the videos
        Assert.Equal([$"{remoteRoot}/Results/20191108", $"{remoteRoot}/Results/20210504"], summaries.Videos);
        var script = File.ReadAllText(Path.Combine(summaries.Directory, "job.1.sh"));
        Assert.Contains(dependencyLine + videos.Arrays[0].JobId, script);
        Assert.Contains($"It starts once job {videos.Arrays[0].JobId} has ended", submit.Output);

        Assert.Equal(0, Run(project.Path, "Monitor").ExitCode);
        var summarize = Run(project.Path, "Summarize");
        Assert.True(summarize.ExitCode == 0, summarize.All);
        Assert.Contains(
            $"The day summaries of submission {summaries.Id} (Submit --then-summarize) have not ended",
            summarize.Output
        );
        Assert.Contains("20191108: summarized on the cluster after its videos", summarize.Output);
        Assert.Contains("20210504: summarized on the cluster after its videos", summarize.Output);
        Assert.Equal(2, state.All().Count); // nothing summarized twice
        Assert.Contains("Joined 2 days", summarize.Output);
    }

    [Fact]
    public void A_video_slurm_killed_at_the_walltime_is_resubmitted_asking_for_twice_as_long()
    {
        TestCluster.Require();
        using var project = new TempDirectory("krypton-project");
        var parameters = SlurmParameters();
        parameters["Walltime"] = "0:01:00"; // SLURM's shortest
        var remoteRoot = Prepare(project, parameters, TestCluster.Jobs);
        var video = Path.Combine(remoteRoot, "RawVideos", Videos[0]);
        project.Write(Path.Combine(video, "metadata.yaml"), "__store: imgstore\n");
        File.WriteAllText(Path.Combine(video, "SLOW_COMPRESS_ONCE"), ""); // ten minutes, once
        var state = new ProjectState(AbsolutePath.Create(project.Path));
        Assert.Equal(0, Run(project.Path, "Submit").ExitCode);
        Assert.Equal(1, Run(project.Path, "Monitor").ExitCode);

        var verify = Run(project.Path, "Verify", "--resubmit");

        Assert.True(verify.ExitCode == 0, verify.All);
        Assert.Contains("killed at the walltime", verify.Output);
        Assert.Contains("1 video: walltime raised from 0:01:00 to 0:02:00", verify.Output);
        var retry = state.Load()!;
        Assert.Equal(TimeSpan.FromMinutes(2), retry.Walltime);
        Assert.Contains("#SBATCH --time=0:02:00\n", File.ReadAllText(Path.Combine(retry.Directory, "job.1.sh")));
        Assert.Equal(0, Run(project.Path, "Monitor").ExitCode);
    }

    [Fact]
    public void With_no_tmp_tierpsy_works_in_the_final_folders_and_leaves_no_temporary_folder()
    {
        TestCluster.Require();
        using var project = new TempDirectory("krypton-project");
        var remoteRoot = Prepare(project, SlurmParameters(), TestCluster.Jobs);
        foreach (var video in Videos)
            project.Write(Path.Combine(remoteRoot, "RawVideos", video, "metadata.yaml"), "__store: imgstore\n");

        var submit = Run(project.Path, "Submit", "--no-tmp");

        Assert.True(submit.ExitCode == 0, submit.All);
        var tasks = File.ReadAllText(Path.Combine(project.Path, ".krypton", "state", "listing", "files2process.txt"));
        Assert.Contains("--tmp_mask_dir '' --tmp_results_dir ''", tasks);
        Assert.Equal(0, Run(project.Path, "Monitor").ExitCode);
        Assert.Contains("Verified: all 3 videos are finished.", Run(project.Path, "Verify", "--no-tmp").Output);
        Assert.False(Directory.Exists(Path.Combine(remoteRoot, "Tmp")));
        Assert.Contains(
            "--no-tmp runs Tierpsy without one",
            Run(project.Path, "Verify", "--resubmit", "--fresh-tmp", "--no-tmp").Error
        );
    }

    [Fact]
    public void From_masked_reanalyses_the_masked_videos_from_the_start_point_after_their_results_are_deleted()
    {
        TestCluster.Require();
        using var project = new TempDirectory("krypton-project");
        var remoteRoot = Prepare(project, SlurmParameters(), TestCluster.Jobs);
        foreach (var video in Videos.Take(2))
            project.Write(Path.Combine(remoteRoot, "RawVideos", video, "metadata.yaml"), "__store: imgstore\n");
        Assert.Equal(0, Run(project.Path, "Submit").ExitCode);
        Assert.Equal(0, Run(project.Path, "Monitor").ExitCode);
        // New parameters for tracking: the results go, the masked videos stay (Tierpsy never redoes a finished step).
        Directory.Delete(Path.Combine(remoteRoot, "Results"), recursive: true);

        var submit = Run(project.Path, "Submit", "--from", "masked");

        Assert.True(submit.ExitCode == 0, submit.All);
        Assert.Contains("Masked videos, from TRAJ_CREATE:", submit.Output);
        Assert.Matches(@"to process\s+2\s+\(2 unprocessed", submit.Output);
        var tasks = File.ReadAllLines(Path.Combine(project.Path, ".krypton", "state", "listing", "files2process.txt"));
        Assert.All(tasks, t => Assert.Contains($"{remoteRoot}/MaskedVideos/20210504/", t));
        Assert.All(tasks, t => Assert.Contains("--analysis_checkpoints TRAJ_CREATE TRAJ_JOIN ", t));
        Assert.True(new ProjectState(AbsolutePath.Create(project.Path)).Load()!.FromMasked);
        Assert.Equal(0, Run(project.Path, "Monitor").ExitCode);
        Assert.Contains("Verified: all 2 videos are finished.", Run(project.Path, "Verify", "--from", "masked").Output);
        foreach (var video in Videos.Take(2))
            Assert.True(File.Exists(Path.Combine(remoteRoot, "Results", video, "metadata_featuresN.hdf5")));
    }

    [Fact]
    public async Task A_video_whose_task_is_queued_or_running_is_not_submitted_again()
    {
        TestCluster.Require();
        using var project = new TempDirectory("krypton-project");
        var remoteRoot = Prepare(project, SlurmParameters(), TestCluster.Jobs);
        var (held, other) = (
            Path.Combine(remoteRoot, "RawVideos", Videos[0], "metadata.yaml"),
            Path.Combine(remoteRoot, "RawVideos", Videos[1], "metadata.yaml")
        );
        project.Write(held, "__store: imgstore\n");
        var state = new ProjectState(AbsolutePath.Create(project.Path));
        // The first video's task, held in SLURM's queue (as on a busy cluster).
        await using (
            var job = await HeldSubmission.StartAsync(
                project.Path,
                "20261126-000000",
                Path.Combine(remoteRoot, "workspace", "submissions"),
                [held],
                TestContext.Current.CancellationToken
            )
        )
        {
            var verify = Run(project.Path, "Verify", "--resubmit", "--fresh-tmp");
            Assert.Equal(1, verify.ExitCode);
            Assert.Contains(
                $"1 videos still have a task queued or running (submission 20261126-000000 (1 task, job "
                    + $"{job.JobId})): not resubmitted",
                verify.All
            );
            Assert.Contains("Nothing was resubmitted: 1 videos still have a task queued or running", verify.Error);
            Assert.Single(state.All());

            // A video added meanwhile is submitted; the held one is not submitted twice.
            project.Write(other, "__store: imgstore\n");
            var submit = Run(project.Path, "Submit");
            Assert.True(submit.ExitCode == 0, submit.All);
            Assert.Contains("1 of the videos to process still have a task queued or running", submit.All);
            Assert.Equal([other], state.All()[^1].Videos);
        }

        var after = Run(project.Path, "Verify", "--resubmit");
        Assert.Contains("Resubmitted 1 videos", after.Output);
        Assert.Equal([held], state.All()[^1].Videos);
    }

    [Fact]
    public async Task A_task_cancelled_before_it_started_is_named_so_and_uses_no_attempt()
    {
        TestCluster.Require();
        using var project = new TempDirectory("krypton-project");
        var remoteRoot = Prepare(project, SlurmParameters(), TestCluster.Jobs);
        project.Write(Path.Combine(remoteRoot, "RawVideos", Videos[0], "metadata.yaml"), "__store: imgstore\n");
        // More CPUs than the test cluster's node has: SLURM keeps the task pending (PartitionConfig) until cancelled.
        Assert.Equal(0, Run(project.Path, "Submit", "--cpus", "64").ExitCode);
        var job = new ProjectState(AbsolutePath.Create(project.Path)).Load()!.Arrays[0].JobId;
        var waiting = Run(project.Path, "Monitor", "--once");
        Assert.Contains("Queued 1 (waiting: PartitionConfig 1)", waiting.Output);
        Assert.Contains("1 queued tasks wait for 'PartitionConfig', which waiting does not resolve", waiting.Error);
        Assert.Contains("lower --cpus or --memory", waiting.Error);
        await using (
            var cluster = await SshRemote.ConnectAsync(TestCluster.Settings(), TestContext.Current.CancellationToken)
        )
            Assert.Equal(
                0,
                (
                    await cluster.RunAsync($"scancel {job}", cancellationToken: TestContext.Current.CancellationToken)
                ).ExitCode
            );

        var once = Run(project.Path, "Monitor", "--once");
        Assert.Contains("Cancelled 1", once.Output);
        Assert.Contains("Cancelled (CANCELLED, before it started)", once.Output);
        var verify = Run(project.Path, "Verify");
        Assert.Contains("task 1: cancelled before it started (scancel or qdel); it used no attempt", verify.Output);

        var resubmit = Run(project.Path, "Verify", "--resubmit", "--max-attempts", "1", "--cpus", "1");
        Assert.True(resubmit.ExitCode == 0, resubmit.All);
        Assert.Contains("Resubmitted 1 videos", resubmit.Output);
    }

    [Fact]
    public void Cancel_cancels_the_projects_queued_submission_and_Verify_calls_it_cancelled_by_you()
    {
        TestCluster.Require();
        using var project = new TempDirectory("krypton-project");
        var remoteRoot = Prepare(project, SlurmParameters(), TestCluster.Jobs);
        project.Write(Path.Combine(remoteRoot, "RawVideos", Videos[0], "metadata.yaml"), "__store: imgstore\n");
        Assert.Equal(0, Run(project.Path, "Submit", "--cpus", "64").ExitCode); // pending: more CPUs than the node has
        var submission = new ProjectState(AbsolutePath.Create(project.Path)).Load()!;

        var cancel = Run(project.Path, "Cancel");
        var again = Run(project.Path, "Cancel");
        var verify = Run(project.Path, "Verify");
        var resubmit = Run(project.Path, "Verify", "--resubmit", "--max-attempts", "1", "--cpus", "1");

        Assert.True(cancel.ExitCode == 0, cancel.All);
        Assert.Contains($"cancelled submission {submission.Id} (job {submission.Arrays[0].JobId})", cancel.Output);
        Assert.NotNull(new ProjectState(AbsolutePath.Create(project.Path)).Load(submission.Id)!.CancelledAt);
        Assert.Contains("Nothing to cancel: no task of this project is queued or running.", again.Output);
        Assert.Contains($"submission {submission.Id} task 1: cancelled by you", verify.Output);
        Assert.True(resubmit.ExitCode == 0, resubmit.All);
        Assert.Contains("Resubmitted 1 videos", resubmit.Output);
    }

    [Fact]
    public async Task Mail_account_and_directives_reach_slurm()
    {
        TestCluster.Require();
        using var project = new TempDirectory("krypton-project");
        var remoteRoot = Prepare(project, SlurmParameters(), TestCluster.Jobs);
        project.Write(Path.Combine(remoteRoot, "RawVideos", Videos[0], "metadata.yaml"), "__store: imgstore\n");
        var refused = Run(project.Path, "Submit", "--directive=--qos=long");
        Assert.Contains("--directive '--qos=long' must be one line that starts with '#SBATCH'", refused.Error);

        var submit = Run(
            project.Path,
            "Submit",
            "--cpus",
            "64",
            "--mail",
            "jdoe@example.org",
            "--mail-on",
            "all",
            "--account",
            "lab42",
            "--job-name",
            "plates_dec",
            "--directive",
            "#SBATCH --comment=krypton-site"
        );

        Assert.True(submit.ExitCode == 0, submit.All);
        var job = new ProjectState(AbsolutePath.Create(project.Path)).Load()!.Arrays[0].JobId;
        await using var cluster = await SshRemote.ConnectAsync(
            TestCluster.Settings(),
            TestContext.Current.CancellationToken
        );
        var shown = (
            await cluster.RunAsync(
                $"scontrol show job {job}_1; scancel {job}",
                cancellationToken: TestContext.Current.CancellationToken
            )
        ).Output;
        Assert.Contains("JobName=plates_dec", shown);
        Assert.Contains("MailUser=jdoe@example.org", shown);
        Assert.Contains("Account=lab42", shown);
        Assert.Contains("Comment=krypton-site", shown);
        Assert.Matches(@"MailType=\S*BEGIN\S*END\S*FAIL", shown);
    }

    [Fact]
    public void Tierpsy_missing_on_the_cluster_is_a_clear_error_and_nothing_is_submitted()
    {
        TestCluster.Require();
        using var project = new TempDirectory("krypton-project");
        var parameters = SlurmParameters();
        var remoteRoot = Prepare(project, parameters, TestCluster.Jobs);
        parameters["TierpsySetup"] = new[] { "echo 'module: command not found' >&2" };
        project.Write(".krypton/parameters.json", JsonSerializer.Serialize(parameters));

        var run = Run(project.Path, "Submit");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains(
            "tierpsy_process was not found on the cluster. The TierpsySetup lines must make it available",
            run.Error
        );
        Assert.False(Directory.Exists(Path.Combine(remoteRoot, "workspace", "submissions")));
    }

    [Fact]
    public void A_parameter_file_for_another_tierpsy_version_is_refused_before_submitting()
    {
        TestCluster.Require();
        using var project = new TempDirectory("krypton-project");
        var remoteRoot = Prepare(project, SlurmParameters(), TestCluster.Jobs);
        project.Write(
            "AuxiliaryFiles/loopbio_rig_96WP_splitFOV_NN_20220310.json",
            Fixtures.Read("params/loopbio_rig_96WP_splitFOV_NN_20200526.json")
        );

        var run = Run(project.Path, "Submit");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains(
            "The parameter file does not match the Tierpsy version on the cluster: Tierpsy rejects the key \"MWP_",
            run.Error
        );
        Assert.False(Directory.Exists(Path.Combine(remoteRoot, "workspace", "submissions")));
    }

    [Fact]
    public void Doctor_reports_every_check_green_on_the_test_cluster()
    {
        TestCluster.Require();
        using var project = new TempDirectory("krypton-project");
        Prepare(project, SlurmParameters(), TestCluster.Jobs);

        var run = Run(project.Path, "Doctor");

        Assert.True(run.ExitCode == 0, run.All);
        foreach (
            var check in new[]
            {
                "ok    connection: root@127.0.0.1",
                "ok    scheduler: sbatch, squeue, scancel found",
                "ok    array size: at most 1000 tasks per array",
                "ok    tierpsy_process: ",
                "ok    parameter file: loopbio_rig_96WP_splitFOV_NN_20220310.json accepted",
                "ok    free space: ",
            }
        )
            Assert.Contains(check, run.Output);
    }

    [Fact]
    public void Doctor_names_the_failing_check_and_its_fix_for_each_fault()
    {
        TestCluster.Require();
        using var project = new TempDirectory("krypton-project");
        var parameters = SlurmParameters();
        Prepare(project, parameters, TestCluster.Jobs);
        string Fault(string key, object value, string? paramsJson = null)
        {
            var changed = new Dictionary<string, object?>(parameters) { [key] = value };
            project.Write(".krypton/parameters.json", JsonSerializer.Serialize(changed));
            project.Write(
                "AuxiliaryFiles/loopbio_rig_96WP_splitFOV_NN_20220310.json",
                paramsJson ?? Fixtures.Read("params/loopbio_rig_96WP_splitFOV_NN_20220310.json")
            );
            var run = Run(project.Path, "Doctor");
            Assert.Equal(1, run.ExitCode);
            return run.All;
        }

        Assert.Contains(
            "FAIL  scheduler: missing qsub,missing qstat,missing qdel on root@127.0.0.1",
            Fault("Scheduler", "pbspro")
        );
        Assert.Contains(
            "FAIL  tierpsy_process: not found after the TierpsySetup lines. To install Tierpsy on the cluster, run "
                + "./build.sh Setup.",
            Fault("TierpsySetup", new[] { "true" })
        );
        Assert.Contains(
            "FAIL  parameter file: The parameter file does not match the Tierpsy version on the cluster: Tierpsy "
                + "rejects the key \"MWP_",
            Fault("Walltime", "1:00:00", Fixtures.Read("params/loopbio_rig_96WP_splitFOV_NN_20200526.json"))
        );
        var hostKey = Fault("KnownHostsFile", project.Write("empty_known_hosts", ""));
        Assert.Contains(
            "FAIL  connection: The host [127.0.0.1]:" + TestCluster.Port + " is not in known_hosts yet",
            hostKey
        );
        Assert.Contains("--accept-host-key SHA256:", hostKey);
    }

    [Fact]
    public void A_day_whose_summarizer_fails_is_named_with_the_exception_and_its_log()
    {
        using var cluster = new TempDirectory("krypton-local-cluster");
        using var project = new TempDirectory("krypton-project");
        var remoteRoot = Prepare(
            project,
            new Dictionary<string, object?> { ["Scheduler"] = "local", ["Cpus"] = 1 },
            cluster.Path
        );
        foreach (var day in new[] { "20210504", "20210505" })
            project.Write(Path.Combine(remoteRoot, "Results", day, "plate", "metadata_featuresN.hdf5"), "features");
        project.Write(Path.Combine(remoteRoot, "Results", "20210505", "FAIL_SUMMARY"), "");

        var run = Run(project.Path, "Summarize");

        Assert.Equal(1, run.ExitCode);
        var submission = new ProjectState(AbsolutePath.Create(project.Path)).All()[^1];
        Assert.Contains("The summarizer failed for 1 day(s); they are not in the joined table:", run.Error);
        Assert.Contains(
            $"20210505: ValueError: stand-in failure requested for {remoteRoot}/Results/20210505. "
                + $"Log: {submission.LogPath(2)}",
            run.Error
        );
        Assert.Contains("Joined 1 days", run.Output);
    }

    private static Dictionary<string, object?> SlurmParameters() =>
        new()
        {
            ["Host"] = "127.0.0.1",
            ["Port"] = TestCluster.Port,
            ["User"] = "root",
            ["Scheduler"] = "slurm",
            ["IdentityFile"] = new[] { TestCluster.ClientKey },
            ["KnownHostsFile"] = TestCluster.KnownHosts,
            ["Walltime"] = "0:10:00",
        };

    /// <summary>
    /// A project folder here and its folder on the cluster: the stand-in Tierpsy in a folder with a space and a
    /// dollar, the parameters file.
    /// </summary>
    private static string Prepare(TempDirectory project, Dictionary<string, object?> parameters, string clusterFolder)
    {
        var remoteRoot = Path.Combine(clusterFolder, $"tierpsy demo {Guid.NewGuid():N}"[..21]);
        var standin = Path.Combine(remoteRoot, "standin $bin");
        StandIn.Install(standin);

        parameters["RemoteRoot"] = remoteRoot;
        parameters["TierpsySetup"] = new[] { $"export PATH='{standin}':\"$PATH\"", $"export PYTHONPATH='{standin}'" };
        parameters["ParamsFile"] = "AuxiliaryFiles/loopbio_rig_96WP_splitFOV_NN_20220310.json";
        parameters["PollInterval"] = "1s";
        project.Write(".krypton/parameters.json", JsonSerializer.Serialize(parameters));
        project.Write(
            "AuxiliaryFiles/loopbio_rig_96WP_splitFOV_NN_20220310.json",
            Fixtures.Read("params/loopbio_rig_96WP_splitFOV_NN_20220310.json")
        );
        return remoteRoot;
    }

    /// <summary>A project here, its folder on the cluster, and the group share its videos come from.</summary>
    private sealed record Scenario(TempDirectory Project, TempDirectory Share, string RemoteRoot) : IDisposable
    {
        public string Root => Project.Path;

        public void Dispose()
        {
            Project.Dispose();
            Share.Dispose();
        }
    }

    /// <summary>The manual from Stage to Clean, each step checked before the next.</summary>
    private static Task RunScenario(Dictionary<string, object?> parameters, string clusterFolder)
    {
        var project = new TempDirectory("krypton-project");
        using var scenario = new Scenario(
            project,
            new TempDirectory("krypton share $"),
            Prepare(project, parameters, clusterFolder)
        );
        Stage_copies_two_days_of_imgstores_from_the_share(scenario);
        Submit_lists_and_submits_every_video(scenario);
        Monitor_and_verify_name_the_video_that_failed(scenario);
        Verify_resubmits_it_and_then_finds_every_video_finished(scenario);
        Summarize_joins_the_days_and_names_a_day_without_features(scenario);
        Summarize_skips_an_unchanged_day_and_redoes_a_changed_one(scenario);
        Retrieve_brings_back_complete_tierpsy_outputs(scenario);
        Clean_deletes_only_what_is_safe_elsewhere(scenario);
        return Task.CompletedTask;
    }

    private static void Stage_copies_two_days_of_imgstores_from_the_share(Scenario s)
    {
        // Three Hydra imgstores on the group share, in two day folders; the second fails COMPRESS once on the cluster.
        foreach (var video in Videos)
        {
            s.Share.Write(Path.Combine(video, "metadata.yaml"), "__store: imgstore\n");
            s.Share.Write(Path.Combine(video, "000000.mp4"), new string('v', 10_000));
        }
        var stage = Run(
            s.Root,
            "Stage",
            "--source",
            Path.Combine(s.Share.Path, "20210504"),
            "--source",
            Path.Combine(s.Share.Path, "20191108")
        );
        Assert.True(stage.ExitCode == 0, stage.All);
        File.WriteAllText(Path.Combine(s.RemoteRoot, "RawVideos", Videos[1], "FAIL_COMPRESS_ONCE"), "");
    }

    private static void Submit_lists_and_submits_every_video(Scenario s)
    {
        var submit = Run(s.Root, "Submit");
        Assert.True(submit.ExitCode == 0, submit.All);
        Assert.Matches(@"to process\s+3\s+\(3 unprocessed, 0 incomplete\)", submit.Output);
        Assert.True(File.Exists(Path.Combine(s.RemoteRoot, "workspace", "tierpsy_output.txt")));
        Assert.Equal(
            3,
            File.ReadAllLines(Path.Combine(s.Root, ".krypton", "state", "listing", "files2process.txt")).Length
        );
    }

    private static void Monitor_and_verify_name_the_video_that_failed(Scenario s)
    {
        var monitor = Run(s.Root, "Monitor");
        Assert.True(monitor.ExitCode == 1, monitor.All);
        Assert.Contains("Succeeded 2 · Failed 1", monitor.Output);
        Assert.Contains("1 of 3 tasks of submission", monitor.Error);

        var verify = Run(s.Root, "Verify");
        Assert.Equal(1, verify.ExitCode);
        Assert.Contains("1 of 3 videos are not finished:", verify.Output);
        Assert.Contains($"{Videos[1]}/metadata.yaml", verify.Output);
        Assert.Contains("Traceback in COMPRESS: OSError: [Errno 5] Input/output error", verify.Output);
    }

    private static void Verify_resubmits_it_and_then_finds_every_video_finished(Scenario s)
    {
        var resubmit = Run(s.Root, "Verify", "--resubmit");
        Assert.True(resubmit.ExitCode == 0, resubmit.All);
        Assert.Contains("Resubmitted 1 videos as submission", resubmit.Output);

        var second = Run(s.Root, "Monitor");
        Assert.True(second.ExitCode == 0, second.All);
        Assert.Contains("Succeeded 1", second.Output);

        var verified = Run(s.Root, "Verify");
        Assert.True(verified.ExitCode == 0, verified.All);
        Assert.Contains("Verified: all 3 videos are finished.", verified.Output);
        Assert.Equal(2, new ProjectState(AbsolutePath.Create(s.Root)).All().Count);
    }

    private static string Joined(Scenario s, string table) =>
        Path.Combine(s.Root, "Results", $"{table}_summary_tierpsy_plate_filtered_traj_compiled.csv");

    private static void Summarize_joins_the_days_and_names_a_day_without_features(Scenario s)
    {
        // No trajectory of 20191108 passes the length filter: Tierpsy writes a features file of comment lines only.
        File.WriteAllText(Path.Combine(s.RemoteRoot, "Results", "20191108", "STANDIN_WORM_LENGTH_UM"), "400");
        var summarize = Run(s.Root, "Summarize");
        Assert.True(summarize.ExitCode == 0, summarize.All);
        Assert.Contains(
            "20191108: no features passed the filters (worm length 700-1300 µm, width 20-200 µm)",
            summarize.All
        );
        var compiled = Joined(s, "filenames");
        var rows = File.ReadAllLines(compiled)
            .Where(l => !l.StartsWith('#'))
            .Skip(1)
            .Select(l => l.Split(','))
            .ToList();
        Assert.Equal(["0", "1", "2"], rows.Select(r => r[0]));
        Assert.EndsWith($"{Videos[2]}/metadata_featuresN.hdf5", rows[0][1]); // 20191108 sorts first
        Assert.Contains("# JOINED DAYS,20191108,20210504", File.ReadAllLines(compiled));
        var featureRows = File.ReadAllLines(Joined(s, "features")).Where(l => !l.StartsWith('#')).Skip(1).ToList();
        // 20191108's file 0 has no row; each Hydra camera's file has one row per well (16).
        Assert.Equal(["1", "2"], featureRows.Select(r => r.Split(',')[0]).Distinct());
        Assert.Equal(32, featureRows.Count);
    }

    private static void Summarize_skips_an_unchanged_day_and_redoes_a_changed_one(Scenario s)
    {
        var again = Run(s.Root, "Summarize");
        Assert.True(again.ExitCode == 0, again.All);
        Assert.Contains("20210504: already summarized with the same options", again.Output);

        // A video of 20210504 that finishes after its summary (resubmitted late): the day is summarized again.
        var late = Path.Combine(
            s.RemoteRoot,
            "Results",
            "20210504",
            "plate_run3_20210504_140000.22956820",
            "metadata_featuresN.hdf5"
        );
        Directory.CreateDirectory(Path.GetDirectoryName(late)!);
        File.Copy(Path.Combine(s.RemoteRoot, "Results", Videos[0], "metadata_featuresN.hdf5"), late);
        var later = Run(s.Root, "Summarize");
        Assert.True(later.ExitCode == 0, later.All);
        Assert.Contains("20210504: its features files changed since its summary; summarizing it again", later.Output);
        Assert.Contains("20191108: already summarized", later.Output);
        Assert.Equal(4, File.ReadAllLines(Joined(s, "filenames")).Where(l => !l.StartsWith('#')).Skip(1).Count());
    }

    private static void Retrieve_brings_back_complete_tierpsy_outputs(Scenario s)
    {
        var retrieve = Run(s.Root, "Retrieve", "--masked");
        Assert.True(retrieve.ExitCode == 0, retrieve.All);
        foreach (var video in Videos)
        foreach (
            var output in new[]
            {
                $"Results/{video}/metadata_featuresN.hdf5",
                $"Results/{video}/metadata_skeletons.hdf5",
                $"Results/{video}/metadata_intensities.hdf5",
                $"MaskedVideos/{video}/metadata.hdf5",
            }
        )
            Assert.Null(Tierpsy.TierpsyOutput.Problem(Path.Combine(s.Root, output)));
    }

    /// <summary>
    /// Clean deletes the raw videos (their share copy is unchanged), the retrieved outputs and the folders it
    /// emptied; the parameter file and the share stay.
    /// </summary>
    private static void Clean_deletes_only_what_is_safe_elsewhere(Scenario s)
    {
        var clean = Run(s.Root, "Clean", "--confirm");
        Assert.True(clean.ExitCode == 0, clean.All);
        foreach (var folder in new[] { "RawVideos", "MaskedVideos", "Results" })
            Assert.Empty(Directory.GetFileSystemEntries(Path.Combine(s.RemoteRoot, folder)));
        Assert.True(
            File.Exists(Path.Combine(s.RemoteRoot, "AuxiliaryFiles", "loopbio_rig_96WP_splitFOV_NN_20220310.json"))
        );
        Assert.Equal(2 * Videos.Length, Directory.GetFiles(s.Share.Path, "*", SearchOption.AllDirectories).Length);
    }

    private static (int ExitCode, string Output, string Error, string All) Run(string root, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var environment = Environment
            .GetEnvironmentVariables()
            .Cast<System.Collections.DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => (string?)e.Value ?? "");
        environment.Remove("KRYPTON_ROOT");
        var exit = BuildRunner
            .RunAsync(
                new ScenarioBuild(),
                new BuildInvocation
                {
                    Arguments = args,
                    Environment = environment,
                    WorkingDirectory = root,
                    Output = output,
                    Error = error,
                    Cancellation = TestContext.Current.CancellationToken,
                },
                []
            )
            .GetAwaiter()
            .GetResult();
        return (exit, output.ToString(), error.ToString(), output + "\n" + error);
    }
}
