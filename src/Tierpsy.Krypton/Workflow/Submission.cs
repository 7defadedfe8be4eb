using Tierpsy.Krypton.Schedulers;

namespace Tierpsy.Krypton.Workflow;

/// <summary>One submitted array job as recorded in <c>.krypton/state/submissions/&lt;id&gt;.json</c>.</summary>
internal sealed record Submission
{
    /// <summary>The submission's id, also the name of its folder on the cluster.</summary>
    public required string Id { get; init; }

    /// <summary>1 for the first submission of a video, 2 for its first resubmission, …</summary>
    public required int Attempt { get; init; }

    /// <summary>The batch system it went to.</summary>
    public required SchedulerKind Scheduler { get; init; }

    /// <summary>The submission's folder on the cluster.</summary>
    public required string Directory { get; init; }

    /// <summary>When it was submitted (UTC).</summary>
    public required DateTimeOffset SubmittedAt { get; init; }

    /// <summary>The video of each task, in task order (task 1 first).</summary>
    public required IReadOnlyList<string> Videos { get; init; }

    /// <summary>The arrays and their job ids.</summary>
    public required IReadOnlyList<SubmittedArray> Arrays { get; init; }

    /// <summary>The chunks as the scheduler code wants them.</summary>
    public IReadOnlyList<SubmittedChunk> Chunks =>
        Arrays.Select(a => new SubmittedChunk(new ArrayChunk(a.Number, a.Offset, a.Count), a.JobId)).ToList();

    /// <summary>The walltime each task asked for; null in submissions recorded before it was.</summary>
    public TimeSpan? Walltime { get; init; }

    /// <summary>The memory each task asked for, as PBS writes it; null when none (or not recorded).</summary>
    public string? Memory { get; init; }

    /// <summary>
    /// True when its tasks analyse masked videos again (<c>--from masked</c>): those are then inputs.
    /// </summary>
    public bool FromMasked { get; init; }

    /// <summary>What its tasks do: <c>tierpsy</c> (videos) or <c>summarize</c> (imaging days).</summary>
    public string Kind { get; init; } = "tierpsy";

    /// <summary>When the user cancelled it with the Cancel target (UTC); null when they did not.</summary>
    public DateTimeOffset? CancelledAt { get; init; }

    /// <summary>The log of one task on the cluster.</summary>
    public string LogPath(int task) => $"{Directory}/logs/{task}.log";
}

/// <summary>One array of a submission.</summary>
internal sealed record SubmittedArray(int Number, int Offset, int Count, string JobId);
