using Tierpsy.Krypton.Tierpsy;
using Tierpsy.Krypton.TestSupport;

namespace Tierpsy.Krypton.Tests.Tierpsy;

public class TaskLogClassifierTests
{
    [Theory]
    [InlineData("output__mp4_success_all_checkpoints.txt", TaskOutcome.Succeeded, "FEAT_TIERPSY", "")]
    [InlineData("output__hydra_synthplate_success.txt", TaskOutcome.Succeeded, "FEAT_TIERPSY", "")]
    [InlineData("output__mp4_resume_from_TRAJ_CREATE.txt", TaskOutcome.Succeeded, "FEAT_TIERPSY", "")]
    [InlineData("output__already_finished.txt", TaskOutcome.AlreadyFinished, null, "a previous analysis had finished")]
    [InlineData("output__unreadable_video_finished_early.txt", TaskOutcome.FinishedEarly, "COMPRESS", "the video does not meet ['can_read_video'] needed by COMPRESS")]
    [InlineData("output__mp4_fail_TRAJ_CREATE_traceback.txt", TaskOutcome.Traceback, "TRAJ_CREATE", "AttributeError: module 'numpy' has no attribute 'int'.")]
    [InlineData("output__hydra_fail_COMPRESS_fovsplit_pdb.txt", TaskOutcome.DebuggerExit, "COMPRESS",
        "operands could not be broadcast together with shapes (0,0) (190,190) (0,0) (Tierpsy stopped at a pdb breakpoint: bdb.BdbQuit)")]
    public void Every_job_log_fixture_is_classified(string fixture, TaskOutcome outcome, string? checkpoint, string detail)
    {
        var report = TaskLogClassifier.Classify(Fixtures.Read($"generated/joblogs/{fixture}"), ended: true);

        Assert.Equal(outcome, report.Outcome);
        Assert.Equal(checkpoint, report.Checkpoint);
        Assert.Equal(detail, report.Detail);
    }

    [Fact]
    public void A_log_cut_short_is_running_while_the_task_runs_and_killed_after()
    {
        var full = Fixtures.Read("generated/joblogs/output__mp4_success_all_checkpoints.txt");
        var cut = full[..full.IndexOf("\nSKE_FILT\n", StringComparison.Ordinal)] + "\nSKE_FILT\n";

        var running = TaskLogClassifier.Classify(cut, ended: false);
        var killed = TaskLogClassifier.Classify(cut, ended: true, schedulerState: "TIMEOUT");
        var unknown = TaskLogClassifier.Classify(cut, ended: true);

        Assert.Equal((TaskOutcome.Running, "SKE_FILT"), (running.Outcome, running.Checkpoint));
        Assert.Equal((TaskOutcome.Killed, "killed at the walltime"), (killed.Outcome, killed.Detail));
        Assert.Equal(TaskOutcome.Killed, unknown.Outcome);
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
        var log = "COMPRESS\nsynth  Finished in COMPRESS. Total time 0:00:01.\nsynth  Finished. Total time 0:00:02. Missing analysis points in the final dir: ['TRAJ_CREATE']. \n            Problems when copy files?.\n";

        var report = TaskLogClassifier.Classify(log, ended: true);

        Assert.Equal(TaskOutcome.Incomplete, report.Outcome);
        Assert.False(report.IsDone);
        Assert.Equal("missing analysis points in the final dir: ['TRAJ_CREATE']", report.Detail);
    }
}
