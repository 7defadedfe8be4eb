using System.Globalization;
using Tierpsy.Krypton.Schedulers;
using Tierpsy.Krypton.Text;
using Tierpsy.Krypton.Tierpsy;

namespace Tierpsy.Krypton.Workflow;

/// <summary>How far Verify --resubmit raises a limit a task was killed at.</summary>
/// <param name="Scale">The factor (--retry-scale).</param>
/// <param name="MaxWalltime">The highest walltime it asks for; null for no cap.</param>
/// <param name="MaxMemory">The highest memory, as PBS writes it; null for no cap.</param>
internal sealed record RetryLimits(double Scale, TimeSpan? MaxWalltime, string? MaxMemory);

/// <summary>
/// One video to resubmit: why its last task ended and what that task asked for (null when unrecorded).
/// </summary>
internal sealed record RetryCandidate(TierpsyTask Task, TaskEndCause? Cause, TimeSpan? Walltime, string? Memory);

/// <summary>Videos resubmitted with the same resources: one submission.</summary>
internal sealed record RetryGroup(Resources Resources, IReadOnlyList<TierpsyTask> Tasks);

/// <summary>
/// Retries that learn, as Nextflow's <c>task.attempt</c>: a video whose task was killed at the walltime or the memory
/// limit asks for <see cref="RetryLimits.Scale"/> times as much, up to the cap; others keep what they had (the larger
/// of their last request and today's parameters). Videos asking for the same go in one group.
/// </summary>
internal static class RetryResources
{
    /// <summary>The groups to submit and one line per change (or refusal to change) to tell the user.</summary>
    public static (IReadOnlyList<RetryGroup> Groups, IReadOnlyList<string> Notes) Plan(
        IReadOnlyList<RetryCandidate> candidates,
        Resources current,
        RetryLimits limits
    )
    {
        var planned = candidates.Select(c => (c.Task, Resources: Raised(c, current, limits, out var note), note));
        var list = planned.ToList();
        var groups = list.GroupBy(p => p.Resources)
            .Select(g => new RetryGroup(g.Key, g.Select(p => p.Task).ToList()))
            .ToList();
        var notes = list.Where(p => p.note is not null)
            .GroupBy(p => p.note!)
            .Select(g => $"{g.Count()} video{(g.Count() == 1 ? "" : "s")}: {g.Key}")
            .ToList();
        return (groups, notes);
    }

    private static Resources Raised(RetryCandidate c, Resources current, RetryLimits limits, out string? note)
    {
        note = null;
        var walltime = c.Walltime is { } before && before > current.Walltime ? before : current.Walltime;
        var memory = Larger(current.Memory, c.Memory);
        var scale = limits.Scale.ToString(CultureInfo.InvariantCulture);
        switch (c.Cause)
        {
            case TaskEndCause.Walltime:
                var longer = TimeSpan.FromSeconds(Math.Ceiling(walltime.TotalSeconds * limits.Scale));
                var capped = limits.MaxWalltime is { } maxWalltime && longer > maxWalltime;
                var heldNote = capped ? ", held to --max-walltime" : "";
                if (capped)
                    longer = limits.MaxWalltime!.Value > walltime ? limits.MaxWalltime.Value : walltime;
                note =
                    longer > walltime
                        ? $"walltime raised from {DurationText.Format(walltime)} to {DurationText.Format(longer)} "
                            + $"(killed at the walltime; --retry-scale {scale}{heldNote})"
                        : $"walltime stays {DurationText.Format(walltime)}: killed at the walltime, but that is "
                            + "--max-walltime already";
                walltime = longer;
                break;
            case TaskEndCause.Memory when MemoryText.Parse(memory) is null:
                note = memory is null
                    ? "killed for memory, but no --memory was requested: set --memory above what it used"
                    : $"killed for memory, but '{memory}' is no amount to scale: set --memory";
                break;
            case TaskEndCause.Memory:
                var bytes = MemoryText.Parse(memory)!.Value;
                var more = (long)Math.Ceiling(bytes * limits.Scale);
                var held = MemoryText.Parse(limits.MaxMemory) is { } maxMemory && more > maxMemory;
                if (held)
                    more = Math.Max(MemoryText.Parse(limits.MaxMemory)!.Value, bytes);
                var raised = MemoryText.Format(more);
                note =
                    more > bytes
                        ? $"memory raised from {memory} to {raised} (killed for memory; --retry-scale {scale}"
                            + $"{(held ? ", held to --max-memory" : "")})"
                        : $"memory stays {memory}: killed for memory, but that is --max-memory already";
                memory = more > bytes ? raised : memory;
                break;
        }
        return current with { Walltime = walltime, Memory = memory };
    }

    /// <summary>The larger of two requests; the first when they cannot be compared.</summary>
    private static string? Larger(string? current, string? before) =>
        MemoryText.Parse(before) is { } b && (MemoryText.Parse(current) is not { } c || b > c) ? before : current;
}
