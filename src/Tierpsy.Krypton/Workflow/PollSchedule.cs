namespace Tierpsy.Krypton.Workflow;

/// <summary>
/// When Monitor asks the scheduler next. Soon after a submission it polls early (<see cref="FirstPoll"/>, then
/// doubling), so short tasks are seen to end within seconds; then every <see cref="Steady"/> interval, growing by
/// <see cref="BackOff"/> while nothing changes, up to <see cref="Longest"/>. Over any hour it never asks more often
/// than once per steady interval on average: the early polls are paid for by waiting longer later.
/// </summary>
internal sealed class PollSchedule
{
    /// <summary>The first wait after a fresh submission.</summary>
    public static readonly TimeSpan FirstPoll = TimeSpan.FromSeconds(5);

    /// <summary>How much longer each wait is than the last while nothing changes (a long queue costs less).</summary>
    public const double BackOff = 1.5;

    /// <summary>The longest wait, however long nothing changes: an end is seen within it.</summary>
    public static readonly TimeSpan Longest = TimeSpan.FromMinutes(10);

    private static readonly TimeSpan Window = TimeSpan.FromHours(1);

    private readonly Queue<DateTimeOffset> _recent = new();
    private readonly int _perHour;
    private TimeSpan _wait;
    private bool _ramping;

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
    /// changed anything.
    /// </summary>
    public DateTimeOffset Next(DateTimeOffset at, bool changed)
    {
        _recent.Enqueue(at);
        while (_recent.Count > 0 && _recent.Peek() <= at - Window)
            _recent.Dequeue();
        var next = at + _wait;
        _wait =
            _ramping ? Min(_wait * 2, Steady)
            : changed ? Steady
            : Min(TimeSpan.FromTicks((long)(_wait.Ticks * BackOff)), Longest);
        if (_wait == Steady)
            _ramping = false;
        // The budget: no more than one query per steady interval in any hour.
        if (_recent.Count >= _perHour)
        {
            var oldestThatCounts = _recent.ElementAt(_recent.Count - _perHour);
            if (oldestThatCounts + Window > next)
                next = oldestThatCounts + Window;
        }
        return next;
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
