using Tierpsy.Krypton.TestSupport;
using Tierpsy.Krypton.Workflow;

namespace Tierpsy.Krypton.Tests.Workflow;

/// <summary>One Stage, Retrieve or Clean of a project at a time.</summary>
public class TransferLockTests
{
    [Fact]
    public void A_second_run_is_refused_with_who_holds_the_lock_until_the_first_releases_it()
    {
        using var project = new TempDirectory("krypton-lock");
        var state = Path.Combine(project.Path, ".krypton", "state");

        var first = TransferLock.Acquire(state, "Stage");
        var refused = Assert.Throws<InvalidOperationException>(() => TransferLock.Acquire(state, "Clean"));

        Assert.StartsWith(
            $"Another Stage, Retrieve or Clean of this project is running: Stage, process {Environment.ProcessId}, "
                + $"since ",
            refused.Message
        );
        Assert.EndsWith("Wait for it to end (or stop it), then run Clean again. Nothing was done.", refused.Message);

        first.Dispose();
        using var second = TransferLock.Acquire(state, "Clean");
        Assert.StartsWith("Clean, process", File.ReadAllText(Path.Combine(state, "transfer.lock.owner")));
    }
}
