using System.Runtime.CompilerServices;

namespace Tierpsy.Krypton.Targets;

/// <summary>The fluent description of one target: what it needs, what it runs and how it is ordered.</summary>
public interface ITargetDefinition
{
    /// <summary>A one-line description shown by <c>--help</c>.</summary>
    ITargetDefinition Description(string description);

    /// <summary>These targets run first, and are added to the plan whenever this target is.</summary>
    ITargetDefinition DependsOn(params Target[] targets);

    /// <summary>This target becomes a dependency of the given targets.</summary>
    ITargetDefinition DependentFor(params Target[] targets);

    /// <summary>When both are in the plan, this target runs before the given targets.</summary>
    ITargetDefinition Before(params Target[] targets);

    /// <summary>When both are in the plan, this target runs after the given targets.</summary>
    ITargetDefinition After(params Target[] targets);

    /// <summary>The given targets are added to the plan and run after this one.</summary>
    ITargetDefinition Triggers(params Target[] targets);

    /// <summary>
    /// This target is added to the plan, and runs after, whenever one of the given targets is planned.
    /// </summary>
    ITargetDefinition TriggeredBy(params Target[] targets);

    /// <summary>
    /// Checked right before the target would run; when it is false the target is skipped, and the summary shows
    /// the condition's source text as the reason.
    /// </summary>
    ITargetDefinition OnlyWhenDynamic(
        Func<bool> condition,
        [CallerArgumentExpression(nameof(condition))] string conditionText = ""
    );

    /// <summary>
    /// Checked before any target runs: the value (usually a parameter, <c>() => Host</c>) must be set, non-empty
    /// and not <c>false</c>. A missing value stops the build with a message that says how to set it.
    /// </summary>
    ITargetDefinition Requires(
        Func<object?> requirement,
        [CallerArgumentExpression(nameof(requirement))] string requirementText = ""
    );

    /// <summary>Adds a synchronous action. Actions run in the order they were added.</summary>
    ITargetDefinition Executes(Action action);

    /// <summary>Adds an asynchronous action.</summary>
    ITargetDefinition Executes(Func<Task> action);

    /// <summary>Adds an asynchronous action that observes cancellation (Ctrl+C).</summary>
    ITargetDefinition Executes(Func<CancellationToken, Task> action);

    /// <summary>When this target fails, targets that do not depend on it still run.</summary>
    ITargetDefinition ProceedAfterFailure();

    /// <summary>This target runs even after an earlier target failed (clean-up, reports).</summary>
    ITargetDefinition AssuredAfterFailure();

    /// <summary>Hides the target from <c>--help</c>; it can still be invoked by name.</summary>
    ITargetDefinition Unlisted();
}
