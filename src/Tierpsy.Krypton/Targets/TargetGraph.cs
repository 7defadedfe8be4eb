using System.Reflection;

namespace Tierpsy.Krypton.Targets;

/// <summary>Finds the targets of a build object and links them; rejects unknown references and cycles.</summary>
internal sealed class TargetGraph
{
    private TargetGraph(IReadOnlyList<ExecutableTarget> targets) => Targets = targets;

    /// <summary>
    /// All targets, each after every target it runs after; otherwise in declaration order (base classes first,
    /// then interfaces, i.e. build components). Help lists them in this order.
    /// </summary>
    public IReadOnlyList<ExecutableTarget> Targets { get; }

    public ExecutableTarget? Find(string name) =>
        Targets.FirstOrDefault(t => string.Equals(t.Name, name, StringComparison.OrdinalIgnoreCase));

    public ExecutableTarget Of(object build, Target target) =>
        Targets.FirstOrDefault(t => t.Property.GetValue(build) is Target d && d.Method == target.Method)
        ?? throw new BuildSetupException(
            $"The default target given to Execute is not a Target property of {build.GetType().Name}."
        );

    public static TargetGraph Create(object build)
    {
        var properties = FindTargetProperties(build.GetType());
        var targets = new List<ExecutableTarget>();
        var byMethod = new Dictionary<MethodInfo, ExecutableTarget>();
        foreach (var property in properties)
        {
            var del =
                property.GetValue(build) as Target
                ?? throw new BuildSetupException(
                    $"Target {property.Name} is null. Declare it as an expression-bodied property: Target "
                        + $"{property.Name} => _ => _.Executes(...);"
                );
            var definition = new TargetDefinition();
            if (del(definition) is not TargetDefinition)
                throw new BuildSetupException(
                    $"Target {property.Name} did not return the definition it was given. Return the result of the "
                        + $"fluent calls on '_'."
                );
            var target = new ExecutableTarget(property.Name, property, definition, targets.Count);
            if (!byMethod.TryAdd(del.Method, target))
                throw new BuildSetupException(
                    $"Targets {byMethod[del.Method].Name} and {property.Name} are the same delegate. Give each target "
                        + $"its own lambda: Target {property.Name} => _ => _...;"
                );
            targets.Add(target);
        }

        foreach (var target in targets)
            Link(target, byMethod);
        var declared = new TargetGraph(targets);
        if (declared.FindCycle() is { } cycle)
            throw new BuildSetupException(
                $"The targets form a cycle: {string.Join(" → ", cycle)} (read each arrow as 'runs after'). A target "
                    + $"cannot come before itself through DependsOn, DependentFor, After, Before or Triggers; remove "
                    + $"one of these links."
            );
        return new TargetGraph(declared.InRunningOrder());
    }

    private static void Link(ExecutableTarget target, Dictionary<MethodInfo, ExecutableTarget> byMethod)
    {
        ExecutableTarget Resolve(Target t, string link) =>
            byMethod.GetValueOrDefault(t.Method)
            ?? throw new BuildSetupException(
                $"Target {target.Name} uses {link} with a target that is not a Target property of the build. Refer to "
                    + $"targets by their property name, e.g. {link}(Compile)."
            );

        var d = target.Definition;
        foreach (var t in d.DependsOnTargets)
            AddOnce(target.Dependencies, Resolve(t, "DependsOn"));
        foreach (var t in d.DependentForTargets)
            AddOnce(Resolve(t, "DependentFor").Dependencies, target);
        foreach (var t in d.AfterTargets)
            AddOnce(target.OrderedAfter, Resolve(t, "After"));
        foreach (var t in d.BeforeTargets)
            AddOnce(Resolve(t, "Before").OrderedAfter, target);
        foreach (var t in d.TriggersTargets)
            AddOnce(target.Triggered, Resolve(t, "Triggers"));
        foreach (var t in d.TriggeredByTargets)
            AddOnce(Resolve(t, "TriggeredBy").Triggered, target);
    }

    private static void AddOnce(List<ExecutableTarget> list, ExecutableTarget item)
    {
        if (!list.Contains(item))
            list.Add(item);
    }

    private List<ExecutableTarget> InRunningOrder()
    {
        var order = new List<ExecutableTarget>();
        void Place(ExecutableTarget t)
        {
            if (order.Contains(t))
                return;
            foreach (var p in Predecessors(t))
                Place(p);
            order.Add(t);
        }
        foreach (var t in Targets)
            Place(t);
        return order;
    }

    /// <summary>Targets that must finish before <paramref name="target"/> when both are planned.</summary>
    public IEnumerable<ExecutableTarget> Predecessors(ExecutableTarget target) =>
        target.Dependencies.Concat(target.OrderedAfter).Concat(Targets.Where(t => t.Triggered.Contains(target)));

    /// <summary>
    /// A cycle over all ordering edges as names, each running after the next, the first repeated at the end
    /// (<c>A, B, A</c>: A runs after B, which runs after A); null when there is none.
    /// </summary>
    internal IReadOnlyList<string>? FindCycle()
    {
        var done = new HashSet<ExecutableTarget>();
        var stack = new List<ExecutableTarget>();
        IReadOnlyList<string>? Visit(ExecutableTarget t)
        {
            stack.Add(t);
            foreach (var p in Predecessors(t))
            {
                var onStack = stack.IndexOf(p);
                if (onStack >= 0)
                    return stack.Skip(onStack).Append(p).Select(x => x.Name).ToList();
                if (!done.Contains(p) && Visit(p) is { } found)
                    return found;
            }
            stack.RemoveAt(stack.Count - 1);
            done.Add(t);
            return null;
        }
        foreach (var t in Targets)
            if (!done.Contains(t) && Visit(t) is { } cycle)
                return cycle;
        return null;
    }

    private static List<PropertyInfo> FindTargetProperties(Type type)
    {
        const BindingFlags flags =
            BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;
        var chain = new List<Type>();
        for (var t = type; t is not null && t != typeof(object); t = t.BaseType)
            chain.Insert(0, t);

        var found = new List<PropertyInfo>();
        var names = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        void Add(PropertyInfo p, bool replace)
        {
            var name = p.Name[(p.Name.LastIndexOf('.') + 1)..]; // explicit implementations are named "IFoo.Bar"
            if (names.TryGetValue(name, out var at))
            {
                if (replace)
                    found[at] = p;
                return;
            }
            names[name] = found.Count;
            found.Add(p);
        }

        foreach (var t in chain)
        foreach (var p in t.GetProperties(flags).Where(IsTarget).OrderBy(p => p.MetadataToken))
            if (!p.Name.Contains('.'))
                Add(p, replace: true);
        foreach (var i in type.GetInterfaces())
        foreach (var p in i.GetProperties(flags).Where(IsTarget).OrderBy(p => p.MetadataToken))
            Add(p, replace: false);
        return found;
    }

    private static bool IsTarget(PropertyInfo p) =>
        p.PropertyType == typeof(Target) && p.GetIndexParameters().Length == 0;
}
