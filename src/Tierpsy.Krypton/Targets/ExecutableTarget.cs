using System.Reflection;

namespace Tierpsy.Krypton.Targets;

/// <summary>A target discovered on a build object, with its links resolved to other targets.</summary>
internal sealed class ExecutableTarget(string name, PropertyInfo property, TargetDefinition definition, int index)
{
    public string Name { get; } = name;
    public PropertyInfo Property { get; } = property;
    public TargetDefinition Definition { get; } = definition;

    /// <summary>Position in declaration order (base classes first), used to break ties stably.</summary>
    public int Index { get; } = index;

    /// <summary>Targets that must run first and are always planned with this one (DependsOn, DependentFor).</summary>
    public List<ExecutableTarget> Dependencies { get; } = [];

    /// <summary>Targets that must run first when they are planned too (After, Before).</summary>
    public List<ExecutableTarget> OrderedAfter { get; } = [];

    /// <summary>Targets planned and run after this one (Triggers, TriggeredBy).</summary>
    public List<ExecutableTarget> Triggered { get; } = [];

    public string? Description => Definition.DescriptionText;

    public override string ToString() => Name;
}
