using Tierpsy.Krypton.Remote;
using Tierpsy.Krypton.Schedulers;
using Tierpsy.Krypton.TestSupport;

namespace Tierpsy.Krypton.Tests.Schedulers;

/// <summary>The local scheduler's status command, run for real by bash against real processes.</summary>
public class LocalSchedulerStatusTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>The phase of task 1 of a chunk whose runner has <paramref name="pid"/>.</summary>
    private static async Task<SchedulerTaskState> StateOf(string pid, string folder)
    {
        var scheduler = new LocalScheduler();
        SubmittedChunk[] chunks = [new(new ArrayChunk(1, 0, 2), pid)];
        var status = await ProcessRunner.RunAsync(
            "bash",
            ["-c", scheduler.StatusCommand(chunks)],
            folder,
            cancellation: Ct
        );
        return scheduler.ParseStatus(new CommandResult(status.ExitCode, status.Output, status.Error), chunks)[0].State;
    }

    [Fact]
    public async Task A_runner_counts_as_alive_only_while_it_runs_its_script_not_as_a_zombie_or_a_reused_process_id()
    {
        using var folder = new TempDirectory("krypton local $runner");
        File.WriteAllText(Path.Combine(folder.Path, "job.1.sh"), "sleep \"$1\"\n");
        // Started as SubmitCommand starts a runner, under a parent that never reaps it (exec sleep): once the runner
        // ends it stays a zombie until that parent ends, as under a container init that reaps late.
        var started = await ProcessRunner.RunAsync(
            "bash",
            ["-c", "{ bash job.1.sh 1.5 > /dev/null 2>&1 < /dev/null & echo $!; exec sleep 8 > /dev/null 2>&1; } &"],
            folder.Path,
            cancellation: Ct
        );
        var runner = started.Output.Trim();

        Assert.Equal(SchedulerTaskState.Queued, await StateOf(runner, folder.Path));
        await Task.Delay(TimeSpan.FromSeconds(2.5), Ct);
        var zombie = await ProcessRunner.RunAsync("ps", ["-o", "stat=", "-p", runner], folder.Path, cancellation: Ct);
        Assert.StartsWith("Z", zombie.Output.Trim()); // what kill -0 still took for a live runner
        Assert.Equal(SchedulerTaskState.NotListed, await StateOf(runner, folder.Path));

        // A process id the system gave to another program after the runner ended.
        var other = await ProcessRunner.RunAsync(
            "bash",
            ["-c", "sleep 5 > /dev/null 2>&1 < /dev/null & echo $!"],
            folder.Path,
            cancellation: Ct
        );
        Assert.Equal(SchedulerTaskState.NotListed, await StateOf(other.Output.Trim(), folder.Path));
        Assert.Equal(SchedulerTaskState.NotListed, await StateOf("999999999", folder.Path));
    }
}
