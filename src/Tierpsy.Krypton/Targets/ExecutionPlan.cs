namespace Tierpsy.Krypton.Targets;

/// <summary>The targets that will run for an invocation, in order, and which of them are skipped up front.</summary>
internal sealed class ExecutionPlan
{
    private readonly IReadOnlyDictionary<ExecutableTarget, string> _reasons;

    private ExecutionPlan(
        IReadOnlyList<ExecutableTarget> order,
        IReadOnlyList<ExecutableTarget> invoked,
        IReadOnlySet<ExecutableTarget> skipped,
        IReadOnlyDictionary<ExecutableTarget, string> reasons
    )
    {
        Order = order;
        Invoked = invoked;
        Skipped = skipped;
        _reasons = reasons;
    }

    /// <summary>Every planned target, each after all of its planned predecessors.</summary>
    public IReadOnlyList<ExecutableTarget> Order { get; }

    /// <summary>The targets named on the command line (or the default).</summary>
    public IReadOnlyList<ExecutableTarget> Invoked { get; }

    /// <summary>Targets skipped by <c>--skip</c>.</summary>
    public IReadOnlySet<ExecutableTarget> Skipped { get; }

    /// <param name="graph">All targets.</param>
    /// <param name="invoked">Targets asked for, in the order given.</param>
    /// <param name="skip">Null: skip nothing. Empty: skip every target that was not invoked. Otherwise: these.</param>
    public static ExecutionPlan Create(
        TargetGraph graph,
        IReadOnlyList<ExecutableTarget> invoked,
        IReadOnlyList<ExecutableTarget>? skip
    )
    {
        var reasons = new Dictionary<ExecutableTarget, string>();
        void Include(ExecutableTarget t, string reason)
        {
            if (!reasons.TryAdd(t, reason))
                return;
            foreach (var d in t.Dependencies)
                Include(d, $"dependency of {t.Name}");
            foreach (var d in t.Triggered)
                Include(d, $"triggered by {t.Name}");
        }
        foreach (var t in invoked)
            Include(t, "requested");
        foreach (var t in invoked)
            reasons[t] = "requested"; // also when another requested target depends on it

        // Depth first: a target is placed once everything planned that must precede it is placed, and what it
        // triggers follows it at once. TargetGraph.Create has rejected cycles, so this terminates.
        var order = new List<ExecutableTarget>();
        void Place(ExecutableTarget t)
        {
            if (order.Contains(t))
                return;
            foreach (var p in graph.Predecessors(t).Where(reasons.ContainsKey))
                Place(p);
            order.Add(t);
            foreach (var triggered in t.Triggered)
                Place(triggered);
        }
        foreach (var t in invoked)
            Place(t);
        var planned = reasons.Keys.ToHashSet();

        var skipped =
            skip is null ? new HashSet<ExecutableTarget>()
            : skip.Count == 0 ? planned.Where(t => !invoked.Contains(t)).ToHashSet()
            : skip.Where(planned.Contains).ToHashSet();
        return new ExecutionPlan(order, invoked, skipped, reasons);
    }

    /// <summary>The plan as numbered lines, as <c>--plan</c> prints it.</summary>
    public string Describe()
    {
        var lines = new List<string>
        {
            $"Plan for {string.Join(", ", Invoked.Select(t => t.Name))} ({Order.Count} "
                + $"target{(Order.Count == 1 ? "" : "s")}, nothing runs):",
        };
        var width = Order.Max(t => t.Name.Length);
        for (var i = 0; i < Order.Count; i++)
        {
            var t = Order[i];
            var note = Skipped.Contains(t) ? $"{_reasons[t]}, skipped by --skip" : _reasons[t];
            lines.Add($"  {i + 1, 2}. {t.Name.PadRight(width)}  {note}");
        }
        return string.Join(Environment.NewLine, lines) + Environment.NewLine;
    }
}
