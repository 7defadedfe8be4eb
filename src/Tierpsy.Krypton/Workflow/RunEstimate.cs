namespace Tierpsy.Krypton.Workflow;

/// <summary>
/// Estimates the time a submission has left: how long the tasks that succeeded took, and how many ran at once (the
/// slots the scheduler gives this submission). A task's times are those its log records; a log without them (written
/// before the job script recorded them) leaves the times the rounds saw, each off by up to one poll interval. An
/// estimate, not a promise.
/// </summary>
internal sealed class RunEstimate
{
    private readonly Dictionary<int, DateTimeOffset> _started = [];
    private readonly HashSet<int> _measured = [];
    private readonly List<TimeSpan> _durations = [];
    private int _slots;

    /// <summary>
    /// Takes in one round: a running task started when its log says (else now); a task that succeeded ran from its
    /// start to its end as its log says (else as the rounds saw it).
    /// </summary>
    public void Observe(IReadOnlyList<TaskProgress> progress, DateTimeOffset now)
    {
        foreach (var task in progress)
        {
            if (task.Phase == TaskPhase.Running)
                _started.TryAdd(task.Task, task.Started ?? now);
            else if (task.Phase == TaskPhase.Succeeded && !_measured.Contains(task.Task))
            {
                var start = task.Started
                    ?? (_started.TryGetValue(task.Task, out var seen) ? seen : (DateTimeOffset?)null);
                if (start is { } s && _measured.Add(task.Task))
                    _durations.Add((task.Ended ?? now) - s);
            }
        }
        _slots = Math.Max(_slots, progress.Count(p => p.Phase == TaskPhase.Running));
    }

    /// <summary>
    /// The time left: the queued tasks' work and the running tasks' rest, at the mean measured duration, shared by
    /// the slots seen in use. Null until one task's run from start to success is known.
    /// </summary>
    public TimeSpan? TimeLeft(IReadOnlyList<TaskProgress> progress, DateTimeOffset now)
    {
        if (_durations.Count == 0)
            return null;
        var mean = TimeSpan.FromTicks((long)_durations.Average(d => d.Ticks));
        var waiting = progress.Count(p => p.Phase is TaskPhase.Queued or TaskPhase.Unknown);
        var rest = progress
            .Where(p => p.Phase == TaskPhase.Running)
            .Select(p => mean - (now - _started.GetValueOrDefault(p.Task, now)))
            .Where(r => r > TimeSpan.Zero)
            .Sum(r => r.Ticks);
        return TimeSpan.FromTicks((waiting * mean.Ticks + rest) / Math.Max(1, _slots));
    }
}
