using Tierpsy.Krypton.Targets;

namespace Tierpsy.Krypton.Tests.Targets;

public class FailureAndConditionTests
{
    private class FailingBuild : BuildBase
    {
        public List<string> Ran { get; } = [];
        public bool Enabled;
        Target Prepare => _ => _.Executes(() => Ran.Add(nameof(Prepare)));
        Target Fail =>
            _ => _.DependsOn(Prepare).Executes(() => throw new InvalidOperationException("storage went away"));
        Target FailButProceed => _ => _.ProceedAfterFailure().Executes(() => throw new IOException("flaky"));
        Target AfterFailure => _ => _.DependsOn(FailButProceed).Executes(() => Ran.Add(nameof(AfterFailure)));
        Target Independent => _ => _.After(Fail, FailButProceed).Executes(() => Ran.Add(nameof(Independent)));
        Target Cleanup =>
            _ => _.After(Fail, Independent).AssuredAfterFailure().Executes(() => Ran.Add(nameof(Cleanup)));
        Target Enable => _ => _.Executes(() => Enabled = true);
        Target Conditional =>
            _ => _.After(Enable).OnlyWhenDynamic(() => Enabled).Executes(() => Ran.Add(nameof(Conditional)));
    }

    [Fact]
    public void A_failure_stops_later_targets_but_not_assured_ones()
    {
        var run = BuildHarness.Run<FailingBuild>("Fail", "Independent", "Cleanup");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("Prepare Cleanup", string.Join(" ", run.Build.Ran));
        Assert.Contains("Fail failed: storage went away", run.Error);
        Assert.Matches(@"Fail\s+Failed\s+\d+:\d\d\s+storage went away", run.Output);
        Assert.Matches(@"Independent\s+NotRun\s+an earlier target failed", run.Output);
        Assert.Matches(@"Cleanup\s+Succeeded", run.Output);
        Assert.Contains("Build failed: Fail failed; Independent did not run.", run.Error);
    }

    [Fact]
    public void Proceed_after_failure_runs_independent_targets_but_not_dependents()
    {
        var run = BuildHarness.Run<FailingBuild>("AfterFailure", "Independent");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("Independent", string.Join(" ", run.Build.Ran));
        Assert.Matches(@"AfterFailure\s+NotRun\s+FailButProceed did not succeed", run.Output);
    }

    [Fact]
    public void Dynamic_condition_is_checked_right_before_the_target()
    {
        var enabled = BuildHarness.Run<FailingBuild>("Enable", "Conditional");
        var disabled = BuildHarness.Run<FailingBuild>("Conditional");

        Assert.Equal(0, enabled.ExitCode);
        Assert.Equal("Conditional", string.Join(" ", enabled.Build.Ran));
        Assert.Equal(0, disabled.ExitCode);
        Assert.Empty(disabled.Build.Ran);
        Assert.Matches(@"Conditional\s+Skipped\s+Enabled is false", disabled.Output);
    }

    [Fact]
    public void Ctrl_c_aborts_the_running_target_and_nothing_after_it_runs()
    {
        using var cancellation = new CancellationTokenSource();
        var build = new CancellableBuild(cancellation);

        var run = BuildHarness.RunCancellable(["Wait", "Later"], cancellation.Token, build: build);

        Assert.Equal(130, run.ExitCode);
        Assert.True(build.Observed);
        Assert.False(build.LaterRan);
        Assert.Matches(@"Wait\s+Aborted", run.Output);
        Assert.Matches(@"Later\s+NotRun\s+cancelled", run.Output);
        Assert.Contains("Cancelled (Ctrl+C) while Wait was running", run.Error);
    }

    private class CancellableBuild(CancellationTokenSource? source) : BuildBase
    {
        public CancellableBuild()
            : this(null) { }

        public bool Observed { get; private set; }
        public bool LaterRan { get; private set; }

        Target Wait =>
            _ =>
                _.Executes(async ct =>
                {
                    source!.CancelAfter(TimeSpan.FromMilliseconds(50));
                    try
                    {
                        await Task.Delay(Timeout.Infinite, ct);
                    }
                    finally
                    {
                        Observed = ct.IsCancellationRequested;
                    }
                });

        Target Later => _ => _.After(Wait).Executes(() => LaterRan = true);
    }
}
