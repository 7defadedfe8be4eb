using Tierpsy.Krypton.TestSupport;
using Tierpsy.Krypton.Tierpsy;

namespace Tierpsy.Krypton.Tests.Tierpsy;

public class TaskLogClassifierTests
{
    [Theory]
    [InlineData("output__mp4_success_all_checkpoints.txt", TaskOutcome.Succeeded, "FEAT_TIERPSY", "")]
    [InlineData("output__hydra_synthplate_success.txt", TaskOutcome.Succeeded, "FEAT_TIERPSY", "")]
    [InlineData("output__mp4_resume_from_TRAJ_CREATE.txt", TaskOutcome.Succeeded, "FEAT_TIERPSY", "")]
    [InlineData("output__already_finished.txt", TaskOutcome.AlreadyFinished, null, "a previous analysis had finished")]
    [InlineData(
        "output__unreadable_video_finished_early.txt",
        TaskOutcome.FinishedEarly,
        "COMPRESS",
        "the video does not meet ['can_read_video'] needed by COMPRESS"
    )]
    [InlineData(
        "output__mp4_fail_TRAJ_CREATE_traceback.txt",
        TaskOutcome.Traceback,
        "TRAJ_CREATE",
        "AttributeError: module 'numpy' has no attribute 'int'."
    )]
    [InlineData(
        "output__hydra_fail_COMPRESS_fovsplit_pdb.txt",
        TaskOutcome.DebuggerExit,
        "COMPRESS",
        "operands could not be broadcast together with shapes (0,0) (190,190) (0,0) (Tierpsy stopped at a pdb "
            + "breakpoint: bdb.BdbQuit)"
    )]
    public void Every_job_log_fixture_is_classified(string fixture, object outcome, string? checkpoint, string detail)
    {
        var report = TaskLogClassifier.Classify(Fixtures.Read($"generated/joblogs/{fixture}"), ended: true);

        Assert.Equal((TaskOutcome)outcome, report.Outcome);
        Assert.Equal(checkpoint, report.Checkpoint);
        Assert.Equal(detail, report.Detail);
    }

    [Fact]
    public void A_log_cut_short_is_running_while_the_task_runs_and_killed_after()
    {
        var full = Fixtures.Read("generated/joblogs/output__mp4_success_all_checkpoints.txt");
        var cut = full[..full.IndexOf("\nSKE_FILT\n", StringComparison.Ordinal)] + "\nSKE_FILT\n";

        var running = TaskLogClassifier.Classify(cut, ended: false);
        var killed = TaskLogClassifier.Classify(cut, ended: true, killedBecause: "killed at the walltime");
        var unknown = TaskLogClassifier.Classify(cut, ended: true);

        Assert.Equal((TaskOutcome.Running, "SKE_FILT"), (running.Outcome, running.Checkpoint));
        Assert.Equal((TaskOutcome.Killed, "killed at the walltime"), (killed.Outcome, killed.Detail));
        Assert.Equal(TaskOutcome.Killed, unknown.Outcome);
    }

    [Fact]
    public void A_task_that_exited_before_tierpsy_started_did_not_start_and_names_the_first_error()
    {
        // A broken TierpsySetup on the node, as bash and the job script write it (exit 127: command not found).
        const string log = """
            # krypton task 1 of 1, job 5_1, on node1 at 2026-12-04T10:00:00
            /home/jdoe/tierpsy_demo/workspace/submissions/s1/job.1.sh: line 14: module: command not found
            /home/jdoe/tierpsy_demo/workspace/submissions/s1/job.1.sh: line 15: activate: No such file or directory
            bash: line 1: python: command not found
            # krypton exit 127

            """;

        var report = TaskLogClassifier.Classify(log, ended: true, exitCode: 127);

        Assert.Equal(TaskOutcome.NotStarted, report.Outcome);
        Assert.Equal("module: command not found (exit code 127)", report.Detail);
        Assert.False(report.IsDone);
    }

    [Fact]
    public void A_task_stopped_by_sigterm_before_any_checkpoint_was_killed_not_unstarted()
    {
        const string log = """
            # krypton task 1 of 1
            # krypton: stopped by SIGTERM (walltime, memory limit or cancel)
            # krypton exit 143

            """;

        Assert.Equal(TaskOutcome.Killed, TaskLogClassifier.Classify(log, ended: true, exitCode: 143).Outcome);
    }

    [Fact]
    public void A_task_that_failed_after_a_checkpoint_without_a_traceback_is_killed()
    {
        const string log = "# krypton task 1 of 1\nCOMPRESS\n# krypton exit 137\n";

        var report = TaskLogClassifier.Classify(log, ended: true, exitCode: 137);

        Assert.Equal((TaskOutcome.Killed, "COMPRESS"), (report.Outcome, report.Checkpoint));
    }

    [Fact]
    public void An_empty_log_of_an_ended_task_means_no_command_ran()
    {
        Assert.Equal(TaskOutcome.Empty, TaskLogClassifier.Classify("", ended: true).Outcome);
        Assert.Equal(TaskOutcome.Running, TaskLogClassifier.Classify("", ended: false).Outcome);
    }

    [Fact]
    public void Missing_analysis_points_after_finished_mean_incomplete()
    {
        var log =
            "COMPRESS\nsynth  Finished in COMPRESS. Total time 0:00:01.\nsynth  Finished. Total time 0:00:02. Missing "
            + "analysis points in the final dir: ['TRAJ_CREATE']. \n            Problems when copy files?.\n";

        var report = TaskLogClassifier.Classify(log, ended: true);

        Assert.Equal(TaskOutcome.Incomplete, report.Outcome);
        Assert.False(report.IsDone);
        Assert.Equal("missing analysis points in the final dir: ['TRAJ_CREATE']", report.Detail);
    }
}
