using Tierpsy.Krypton.Remote;
using Tierpsy.Krypton.Schedulers;
using Tierpsy.Krypton.Tests.Workflow;

namespace Tierpsy.Krypton.Tests.Remote;

/// <summary>Failures carry what failed as data: the command, its exit code and a typed reason.</summary>
public class CheckedCommandsTests
{
    [Fact]
    public async Task A_listing_that_fails_on_the_cluster_carries_its_command_and_exit_code()
    {
        IRemote remote = new FakeRemote(_ => new CommandResult(2, "", "find: 'Results': Permission denied\n"));

        var error = await Assert.ThrowsAsync<RemoteException>(() =>
            remote.ListFilesAsync("/r", ["Results"], TestContext.Current.CancellationToken)
        );

        Assert.Equal(RemoteFailure.CommandFailed, error.Reason);
        Assert.Equal(2, error.ExitCode);
        Assert.StartsWith("cd /r ", error.Command);
        Assert.Equal(
            "Listing the files below /r on fake cluster failed (exit code 2): find: 'Results': Permission denied",
            error.Message
        );
    }

    [Fact]
    public void A_scheduler_that_fails_or_answers_nonsense_says_which_as_data()
    {
        var chunks = new[] { new SubmittedChunk(new ArrayChunk(1, 0, 2), "77") };

        var failed = Assert.Throws<SchedulerException>(() =>
            new SlurmScheduler().ParseStatus(new CommandResult(1, "", "slurm_load_jobs error: timed out\n"), chunks)
        );
        var nonsense = Assert.Throws<SchedulerException>(() => new SlurmScheduler().ParseSubmitOutput("hello\n"));

        Assert.Equal((SchedulerFailure.CommandFailed, 1), (failed.Reason, failed.ExitCode));
        Assert.Equal((SchedulerFailure.UnreadableAnswer, (int?)null), (nonsense.Reason, nonsense.ExitCode));
    }
}
