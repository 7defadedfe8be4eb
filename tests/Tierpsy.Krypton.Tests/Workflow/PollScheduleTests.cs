using Microsoft.Extensions.Time.Testing;
using Tierpsy.Krypton.Workflow;

namespace Tierpsy.Krypton.Tests.Workflow;

public class PollScheduleTests
{
    /// <summary>
    /// Runs Monitor's schedule on a fake clock for <paramref name="duration"/>; returns when it queried.
    /// </summary>
    private static List<DateTimeOffset> Queries(
        PollSchedule schedule,
        FakeTimeProvider clock,
        TimeSpan duration,
        Func<int, bool>? changedAt = null
    )
    {
        var end = clock.GetUtcNow() + duration;
        var queries = new List<DateTimeOffset>();
        while (clock.GetUtcNow() < end)
        {
            queries.Add(clock.GetUtcNow());
            var next = schedule.Next(clock.GetUtcNow(), changedAt?.Invoke(queries.Count) ?? false);
            clock.Advance(next - clock.GetUtcNow());
        }
        return queries;
    }

    [Fact]
    public void A_fresh_submission_is_polled_within_seconds_then_at_the_poll_interval()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-04T10:00:00Z", null));
        var schedule = new PollSchedule(
            TimeSpan.FromSeconds(60),
            TimeSpan.FromSeconds(30),
            clock.GetUtcNow(),
            clock.GetUtcNow()
        );

        var queries = Queries(schedule, clock, TimeSpan.FromMinutes(5), changedAt: _ => true);

        var waits = queries.Zip(queries.Skip(1), (a, b) => (b - a).TotalSeconds).ToList();
        Assert.Equal([5, 10, 20, 40, 60, 60], waits.Take(6));
    }

    [Fact]
    public void Over_any_hour_it_queries_no_more_often_than_once_per_poll_interval()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-04T10:00:00Z", null));
        var schedule = new PollSchedule(
            TimeSpan.FromSeconds(60),
            TimeSpan.FromSeconds(30),
            clock.GetUtcNow(),
            clock.GetUtcNow()
        );

        // Every round changes something (the worst case: the interval never grows).
        var queries = Queries(schedule, clock, TimeSpan.FromHours(3), changedAt: _ => true);

        foreach (var start in queries)
            Assert.True(
                queries.Count(q => q >= start && q < start + TimeSpan.FromHours(1)) <= 60,
                $"more than 60 from {start}"
            );
        Assert.True(queries.Count >= 170, $"only {queries.Count} queries in 3 hours");
    }

    [Fact]
    public void The_minimum_interval_bounds_the_steady_state_and_an_old_submission_gets_no_early_polls()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-04T10:00:00Z", null));
        var submittedYesterday = clock.GetUtcNow() - TimeSpan.FromDays(1);
        var schedule = new PollSchedule(
            TimeSpan.FromSeconds(5),
            TimeSpan.FromSeconds(30),
            submittedYesterday,
            clock.GetUtcNow()
        );

        var queries = Queries(schedule, clock, TimeSpan.FromMinutes(10), changedAt: _ => true);

        Assert.Equal(TimeSpan.FromSeconds(30), schedule.Steady);
        Assert.All(queries.Zip(queries.Skip(1), (a, b) => b - a), wait => Assert.Equal(TimeSpan.FromSeconds(30), wait));
    }

    [Fact]
    public void While_nothing_changes_the_wait_grows_to_ten_minutes_at_most()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-04T10:00:00Z", null));
        var schedule = new PollSchedule(
            TimeSpan.FromSeconds(60),
            TimeSpan.FromSeconds(30),
            clock.GetUtcNow() - TimeSpan.FromDays(1),
            clock.GetUtcNow()
        );

        var queries = Queries(schedule, clock, TimeSpan.FromHours(2));

        var waits = queries.Zip(queries.Skip(1), (a, b) => (b - a).TotalSeconds).ToList();
        Assert.Equal([60, 90, 135], waits.Take(3));
        Assert.Equal(600, waits.Max());
    }
}
