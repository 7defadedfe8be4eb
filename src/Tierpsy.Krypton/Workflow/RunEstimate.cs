namespace Tierpsy.Krypton.Workflow;

/// <summary>
/// Estimates the time a submission has left from what Monitor saw: how long the tasks it watched from start to
/// success took, and how many ran at once (the slots the scheduler gives this submission). Times are as seen by the
/// rounds, so each is off by up to one poll interval; an estimate, not a promise.
/// </summary>
internal sealed class RunEstimate
{
    private readonly Dictionary<int, DateTimeOffset> _started = [];
    private readonly HashSet<int> _measured = [];
    private readonly List<TimeSpan> _durations = [];
    private int _slots;

    /// <summary>Takes in one round: tasks seen running start now; tasks seen succeeding end now.</summary>
    public void Observe(IReadOnlyList<TaskProgress> progress, DateTimeOffset now)
    {
        foreach (var task in progress)
        {
            if (task.Phase == TaskPhase.Running)
                _started.TryAdd(task.Task, now);
            else if (task.Phase == TaskPhase.Succeeded && _started.TryGetValue(task.Task, out var start))
                if (_measured.Add(task.Task))
                    _durations.Add(now - start);
        }
        _slots = Math.Max(_slots, progress.Count(p => p.Phase == TaskPhase.Running));
    }

    /// <summary>
    /// The time left: the queued tasks' work and the running tasks' rest, at the mean measured duration, shared by
    /// the slots seen in use. Null until a task was seen from start to success.
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
