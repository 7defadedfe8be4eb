namespace Tierpsy.Krypton.Targets;

/// <summary>What a <see cref="Target"/> delegate recorded about itself.</summary>
internal sealed class TargetDefinition : ITargetDefinition
{
    public string? DescriptionText { get; private set; }
    public List<Target> DependsOnTargets { get; } = [];
    public List<Target> DependentForTargets { get; } = [];
    public List<Target> BeforeTargets { get; } = [];
    public List<Target> AfterTargets { get; } = [];
    public List<Target> TriggersTargets { get; } = [];
    public List<Target> TriggeredByTargets { get; } = [];
    public List<(Func<bool> Condition, string Text)> DynamicConditions { get; } = [];
    public List<(Func<object?> Requirement, string Text)> Requirements { get; } = [];
    public List<Func<CancellationToken, Task>> Actions { get; } = [];
    public bool IsProceedAfterFailure { get; private set; }
    public bool IsAssuredAfterFailure { get; private set; }
    public bool IsUnlisted { get; private set; }

    public ITargetDefinition Description(string description)
    {
        DescriptionText = description;
        return this;
    }

    public ITargetDefinition DependsOn(params Target[] targets) => Add(DependsOnTargets, targets);

    public ITargetDefinition DependentFor(params Target[] targets) => Add(DependentForTargets, targets);

    public ITargetDefinition Before(params Target[] targets) => Add(BeforeTargets, targets);

    public ITargetDefinition After(params Target[] targets) => Add(AfterTargets, targets);

    public ITargetDefinition Triggers(params Target[] targets) => Add(TriggersTargets, targets);

    public ITargetDefinition TriggeredBy(params Target[] targets) => Add(TriggeredByTargets, targets);

    public ITargetDefinition OnlyWhenDynamic(Func<bool> condition, string conditionText = "")
    {
        DynamicConditions.Add((condition, LambdaText.Body(conditionText)));
        return this;
    }

    public ITargetDefinition Requires(Func<object?> requirement, string requirementText = "")
    {
        Requirements.Add((requirement, LambdaText.Body(requirementText)));
        return this;
    }

    public ITargetDefinition Executes(Action action) =>
        Executes(_ =>
        {
            action();
            return Task.CompletedTask;
        });

    public ITargetDefinition Executes(Func<Task> action) => Executes(_ => action());

    public ITargetDefinition Executes(Func<CancellationToken, Task> action)
    {
        Actions.Add(action);
        return this;
    }

    public ITargetDefinition ProceedAfterFailure()
    {
        IsProceedAfterFailure = true;
        return this;
    }

    public ITargetDefinition AssuredAfterFailure()
    {
        IsAssuredAfterFailure = true;
        return this;
    }

    public ITargetDefinition Unlisted()
    {
        IsUnlisted = true;
        return this;
    }

    private TargetDefinition Add(List<Target> list, Target[] targets)
    {
        list.AddRange(targets);
        return this;
    }
}
