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
        Func<int, bool>? changedAt = null,
        TimeSpan? timeLeft = null
    )
    {
        var end = clock.GetUtcNow() + duration;
        var queries = new List<DateTimeOffset>();
        while (clock.GetUtcNow() < end)
        {
            queries.Add(clock.GetUtcNow());
            var next = schedule.Next(clock.GetUtcNow(), changedAt?.Invoke(queries.Count) ?? false, timeLeft);
            clock.Advance(next - clock.GetUtcNow());
        }
        return queries;
    }

    /// <summary>The schedule, at the default poll interval, of a submission made a day before Monitor starts.</summary>
    private static PollSchedule OfYesterdaysSubmission(FakeTimeProvider clock) =>
        new(
            TimeSpan.FromSeconds(60),
            TimeSpan.FromSeconds(30),
            clock.GetUtcNow() - TimeSpan.FromDays(1),
            clock.GetUtcNow()
        );

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
        var schedule = OfYesterdaysSubmission(clock);

        var queries = Queries(schedule, clock, TimeSpan.FromHours(2));

        var waits = queries.Zip(queries.Skip(1), (a, b) => (b - a).TotalSeconds).ToList();
        Assert.Equal([60, 90, 135], waits.Take(3));
        Assert.Equal(600, waits.Max());
    }

    [Fact]
    public void When_the_estimate_says_the_run_ends_before_the_next_poll_it_polls_just_after_that_end()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-04T10:00:00Z", null));
        var submitted = clock.GetUtcNow();
        var schedule = new PollSchedule(TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(30), submitted, submitted);
        Assert.Equal(submitted.AddSeconds(5), schedule.Next(submitted, changed: true)); // no estimate yet
        // 30 s left: after the planned poll in 10 s, so that one stays.
        Assert.Equal(submitted.AddSeconds(15), schedule.Next(submitted.AddSeconds(5), true, TimeSpan.FromSeconds(30)));

        // 10 s left at 15 s: the planned poll would come at 35 s, the aimed one comes at 26.5 s, in whole seconds.
        var next = schedule.Next(submitted.AddSeconds(15), true, TimeSpan.FromSeconds(10));

        Assert.Equal(submitted.AddSeconds(27), next);
    }

    [Fact]
    public void An_estimate_that_keeps_being_wrong_costs_a_handful_of_queries()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-04T10:00:00Z", null));
        var schedule = OfYesterdaysSubmission(clock);

        // Every round the estimate says the tasks are about to end, and they never do.
        var queries = Queries(schedule, clock, TimeSpan.FromMinutes(10), changedAt: _ => true, TimeSpan.Zero);

        var waits = queries.Zip(queries.Skip(1), (a, b) => (b - a).TotalSeconds).ToList();
        Assert.Equal([2, 3, 5, 7], waits.Take(4));
        Assert.Equal(9, waits.Count(w => w < 60)); // then the poll interval, as without an estimate
        Assert.All(waits.SkipWhile(w => w < 60), w => Assert.Equal(60, w));
    }
}
