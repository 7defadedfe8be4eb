using Tierpsy.Krypton.Targets;

namespace Tierpsy.Krypton.Tests.Targets;

public class ExecutionOrderTests
{
    private class OrderBuild : BuildBase
    {
        public List<string> Ran { get; } = [];
        Target Clean => _ => _.Before(Restore).Executes(() => Ran.Add(nameof(Clean)));
        Target Restore => _ => _.Executes(() => Ran.Add(nameof(Restore)));
        Target Compile => _ => _.DependsOn(Restore).Executes(() => Ran.Add(nameof(Compile)));
        Target Test =>
            _ =>
                _.DependsOn(Compile)
                    .Executes(async () =>
                    {
                        await Task.Yield();
                        Ran.Add(nameof(Test));
                    });
        public Target Pack =>
            _ =>
                _.DependsOn(Compile)
                    .After(Test)
                    .Executes(ct =>
                    {
                        Ran.Add(nameof(Pack));
                        return Task.CompletedTask;
                    });
        Target Publish => _ => _.DependsOn(Pack).Triggers(Announce).Executes(() => Ran.Add(nameof(Publish)));
        Target Announce => _ => _.Triggers(Archive).Executes(() => Ran.Add(nameof(Announce)));
        Target Archive => _ => _.Executes(() => Ran.Add(nameof(Archive)));
        Target Lint => _ => _.DependentFor(Compile).Executes(() => Ran.Add(nameof(Lint)));
        Target Report => _ => _.TriggeredBy(Test).Executes(() => Ran.Add(nameof(Report)));
    }

    [Theory]
    [InlineData("Compile", "Restore Lint Compile")]
    [InlineData("Pack", "Restore Lint Compile Pack")]
    [InlineData("Pack Test", "Restore Lint Compile Test Report Pack")]
    [InlineData("Compile Clean", "Clean Restore Lint Compile")]
    [InlineData("Publish", "Restore Lint Compile Pack Publish Announce Archive")]
    [InlineData("Restore Restore", "Restore")]
    public void Runs_dependencies_first_and_honours_ordering_and_triggers(string targets, string expected)
    {
        var run = BuildHarness.Run<OrderBuild>(targets.Split(' '));

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(expected, string.Join(" ", run.Build.Ran));
    }

    [Fact]
    public void Target_names_are_case_insensitive()
    {
        var run = BuildHarness.Run<OrderBuild>("compile");
        Assert.Equal("Restore Lint Compile", string.Join(" ", run.Build.Ran));
    }

    [Fact]
    public void Plan_prints_the_order_with_reasons_and_runs_nothing()
    {
        var run = BuildHarness.Run<OrderBuild>("Publish", "--plan");

        Assert.Equal(0, run.ExitCode);
        Assert.Empty(run.Build.Ran);
        var lines = run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd()).ToList();
        Assert.Equal("Plan for Publish (7 targets, nothing runs):", lines[0]);
        Assert.Equal("   1. Restore   dependency of Compile", lines[1]);
        Assert.Equal("   3. Compile   dependency of Pack", lines[3]);
        Assert.Equal("   5. Publish   requested", lines[5]);
        Assert.Equal("   6. Announce  triggered by Publish", lines[6]);
    }

    [Fact]
    public void Skip_without_names_skips_everything_not_named()
    {
        var run = BuildHarness.Run<OrderBuild>("Compile", "--skip");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("Compile", string.Join(" ", run.Build.Ran));
        Assert.Matches(@"Restore\s+Skipped\s+--skip", run.Output);
    }

    [Fact]
    public void Skip_with_names_skips_only_those()
    {
        var run = BuildHarness.Run<OrderBuild>("Compile", "--skip", "Lint");

        Assert.Equal("Restore Compile", string.Join(" ", run.Build.Ran));
    }

    [Fact]
    public void Default_target_runs_when_none_is_named()
    {
        var run = BuildHarness.Run<OrderBuild>([], defaults: [x => x.Pack]);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("Restore Lint Compile Pack", string.Join(" ", run.Build.Ran));
    }

    [Fact]
    public void Unknown_target_is_an_error_with_a_suggestion()
    {
        var run = BuildHarness.Run<OrderBuild>("Compil");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("Unknown target 'Compil'. Did you mean Compile?", run.Error);
        Assert.Empty(run.Build.Ran);
    }
}
