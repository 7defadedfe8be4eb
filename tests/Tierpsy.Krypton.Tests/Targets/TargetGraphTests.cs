using Tierpsy.Krypton.Targets;

namespace Tierpsy.Krypton.Tests.Targets;

public class TargetGraphTests
{
    private class DependencyCycle : BuildBase
    {
        Target A => _ => _.DependsOn(C);
        Target B => _ => _.DependsOn(A);
        Target C => _ => _.DependsOn(B);
    }

    private class OrderingCycle : BuildBase
    {
        Target First => _ => _.Before(Second);
        Target Second => _ => _.Triggers(First);
    }

    [Fact]
    public void A_dependency_cycle_is_an_error_that_names_it()
    {
        var run = BuildHarness.Run<DependencyCycle>("A");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("error: The targets form a cycle: A → C → B → A (read each arrow as 'runs after').", run.Error);
        Assert.Single(run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void A_cycle_through_ordering_and_triggers_is_found_too()
    {
        var run = BuildHarness.Run<OrderingCycle>("--plan", "First");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("cycle: First → Second → First", run.Error);
    }

    private interface IGreet
    {
        List<string> Said { get; }
        Target Hello => _ => _.Description("Says hello").Executes(() => Said.Add("hello"));
        Target Bye => _ => _.DependsOn(Hello).Executes(() => Said.Add("bye"));
    }

    private class Component : BuildBase, IGreet
    {
        public List<string> Said { get; } = [];
        Target IGreet.Bye => _ => _.DependsOn(((IGreet)this).Hello).Executes(() => Said.Add("see you"));
        Target Wave => _ => _.DependsOn(((IGreet)this).Bye).Executes(() => Said.Add("wave"));
    }

    [Fact]
    public void Targets_come_from_interface_default_members_and_can_be_overridden()
    {
        var run = BuildHarness.Run<Component>("Wave");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("hello see you wave", string.Join(" ", run.Build.Said));
    }

    private class WorkflowBase : BuildBase
    {
        public List<string> Steps { get; } = [];
        protected virtual Target List => _ => _.Executes(() => Steps.Add("list"));
        protected virtual Target Submit => _ => _.DependsOn(List).Executes(() => Steps.Add("submit"));
    }

    private class Experiment : WorkflowBase
    {
        protected override Target List => _ => base.List(_).Executes(() => Steps.Add("list extra"));
    }

    [Fact]
    public void A_derived_class_overrides_a_base_target_and_keeps_its_dependants()
    {
        var run = BuildHarness.Run<Experiment>("Submit");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("list list extra submit", string.Join(" ", run.Build.Steps));
        Assert.Equal(["List", "Submit"], TargetGraph.Create(new Experiment()).Targets.Select(t => t.Name));
    }

    private class Foreign : BuildBase
    {
        private static Target Elsewhere => _ => _;
        Target Uses => _ => _.DependsOn(NotAProperty());

        private static Target NotAProperty() => _ => _;
    }

    [Fact]
    public void A_link_to_something_that_is_not_a_target_property_is_an_error()
    {
        var run = BuildHarness.Run<Foreign>("Uses");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(
            "Target Uses uses DependsOn with a target that is not a Target property of the build",
            run.Error
        );
    }
}
