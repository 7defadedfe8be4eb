namespace Tierpsy.Krypton.Workflow;

/// <summary>
/// When Monitor asks the scheduler next. Soon after a submission it polls early (<see cref="FirstPoll"/>, then
/// doubling), so short tasks are seen to end within seconds; then every <see cref="Steady"/> interval, growing by
/// <see cref="BackOff"/> while nothing changes, up to <see cref="Longest"/>. Over any hour it never asks more often
/// than once per steady interval on average: the early polls are paid for by waiting longer later. When the estimate
/// says every task will have ended before the next poll, it polls just after that end instead (an aimed poll), so a
/// run of short tasks is seen to end within seconds; each aimed poll waits at least 1.5 times as long as the last,
/// so an estimate that keeps being wrong costs a handful of queries, not a stream of them.
/// </summary>
internal sealed class PollSchedule
{
    /// <summary>The first wait after a fresh submission.</summary>
    public static readonly TimeSpan FirstPoll = TimeSpan.FromSeconds(5);

    /// <summary>How much longer each wait is than the last while nothing changes (a long queue costs less).</summary>
    public const double BackOff = 1.5;

    /// <summary>The longest wait, however long nothing changes: an end is seen within it.</summary>
    public static readonly TimeSpan Longest = TimeSpan.FromMinutes(10);

    /// <summary>
    /// The shortest wait before the first aimed poll; each later one's is <see cref="BackOff"/> times longer.
    /// </summary>
    public static readonly TimeSpan FirstAimedWait = TimeSpan.FromSeconds(2);

    private static readonly TimeSpan Window = TimeSpan.FromHours(1);

    /// <summary>How long after the estimated end an aimed poll comes: this and a twentieth of the time left.</summary>
    private static readonly TimeSpan AimMargin = TimeSpan.FromSeconds(1);

    private readonly Queue<DateTimeOffset> _recent = new();
    private readonly int _perHour;
    private TimeSpan _wait;
    private bool _ramping;
    private TimeSpan _aimedWait = FirstAimedWait;

    /// <param name="pollInterval">--poll-interval.</param>
    /// <param name="minimum">The shortest steady interval the build allows.</param>
    /// <param name="submittedAt">When the submission was made.</param>
    /// <param name="start">When Monitor starts.</param>
    public PollSchedule(TimeSpan pollInterval, TimeSpan minimum, DateTimeOffset submittedAt, DateTimeOffset start)
    {
        Steady = pollInterval < minimum ? minimum : pollInterval;
        _perHour = Math.Max(1, (int)(Window / Steady));
        // Only a submission younger than one steady interval gets the early polls.
        _ramping = start - submittedAt < Steady && FirstPoll < Steady;
        _wait = _ramping ? FirstPoll : Steady;
    }

    /// <summary>The steady interval: --poll-interval, at least the minimum.</summary>
    public TimeSpan Steady { get; }

    /// <summary>
    /// Records a query made at <paramref name="at"/> and says when the next may be made, given whether this round
    /// changed anything and the estimated time until every task has ended (null: no estimate yet).
    /// </summary>
    public DateTimeOffset Next(DateTimeOffset at, bool changed, TimeSpan? timeLeft = null)
    {
        Remember(at);
        var next = Aimed(at, timeLeft) ?? at + _wait;
        GrowWait(changed);
        return WithinBudget(next);
    }

    private void Remember(DateTimeOffset at)
    {
        _recent.Enqueue(at);
        while (_recent.Count > 0 && _recent.Peek() <= at - Window)
            _recent.Dequeue();
    }

    /// <summary>
    /// Just after the estimated end when that comes before the planned poll, at least <see cref="_aimedWait"/> away
    /// (which grows by <see cref="BackOff"/> each time it is used), in whole seconds; null otherwise.
    /// </summary>
    private DateTimeOffset? Aimed(DateTimeOffset at, TimeSpan? timeLeft)
    {
        if (timeLeft is not { } left)
            return null;
        var wait = left + AimMargin + left / 20;
        if (wait < _aimedWait)
            wait = _aimedWait;
        wait = TimeSpan.FromSeconds(Math.Ceiling(wait.TotalSeconds));
        if (wait >= _wait)
            return null;
        _aimedWait = TimeSpan.FromTicks((long)(_aimedWait.Ticks * BackOff));
        return at + wait;
    }

    private void GrowWait(bool changed)
    {
        _wait =
            _ramping ? Min(_wait * 2, Steady)
            : changed ? Steady
            : Min(TimeSpan.FromTicks((long)(_wait.Ticks * BackOff)), Longest);
        if (_wait == Steady)
            _ramping = false;
    }

    /// <summary>The budget: no more than one query per steady interval in any hour.</summary>
    private DateTimeOffset WithinBudget(DateTimeOffset next)
    {
        if (_recent.Count < _perHour)
            return next;
        var oldestThatCounts = _recent.ElementAt(_recent.Count - _perHour);
        return oldestThatCounts + Window > next ? oldestThatCounts + Window : next;
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
