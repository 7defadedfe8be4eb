using Tierpsy.Krypton.Workflow;

namespace Tierpsy.Krypton.Tests.Workflow;

public class RunEstimateTests
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.Parse("2026-12-04T10:00:00Z", null);

    private static TaskProgress Task(int task, TaskPhase phase) =>
        new(task, $"/v/{task}.yaml", phase, null, phase == TaskPhase.Succeeded ? 0 : null, "", 0, true);

    [Fact]
    public void There_is_no_estimate_before_a_task_was_seen_from_start_to_success()
    {
        var estimate = new RunEstimate();
        IReadOnlyList<TaskProgress> running = [Task(1, TaskPhase.Running), Task(2, TaskPhase.Queued)];

        estimate.Observe(running, T0);

        Assert.Null(estimate.TimeLeft(running, T0 + TimeSpan.FromMinutes(5)));
    }

    [Fact]
    public void The_estimate_shares_the_queued_and_running_work_among_the_slots_seen_in_use()
    {
        var estimate = new RunEstimate();
        estimate.Observe(
            [
                Task(1, TaskPhase.Running),
                Task(2, TaskPhase.Running),
                Task(3, TaskPhase.Queued),
                Task(4, TaskPhase.Queued),
                Task(5, TaskPhase.Queued),
            ],
            T0
        );
        IReadOnlyList<TaskProgress> later =
        [
            Task(1, TaskPhase.Succeeded),
            Task(2, TaskPhase.Succeeded),
            Task(3, TaskPhase.Running),
            Task(4, TaskPhase.Running),
            Task(5, TaskPhase.Queued),
        ];
        estimate.Observe(later, T0 + TimeSpan.FromMinutes(10));

        // Tasks of 10 min on 2 slots: 3 and 4 have 10 min left each, 5 needs 10 more: 30 min of work / 2 slots.
        Assert.Equal(TimeSpan.FromMinutes(15), estimate.TimeLeft(later, T0 + TimeSpan.FromMinutes(10)));
        // Four minutes on, 3 and 4 have 6 min left each.
        Assert.Equal(TimeSpan.FromMinutes(11), estimate.TimeLeft(later, T0 + TimeSpan.FromMinutes(14)));
    }

    [Fact]
    public void Times_from_the_logs_give_an_estimate_in_the_first_round_after_monitor_starts_again()
    {
        var estimate = new RunEstimate();
        // Task 1 ran from T0 to T0 + 20 min before this Monitor started; task 2 started at T0 + 20 min.
        IReadOnlyList<TaskProgress> first =
        [
            Task(1, TaskPhase.Succeeded) with
            {
                Started = T0,
                Ended = T0 + TimeSpan.FromMinutes(20),
            },
            Task(2, TaskPhase.Running) with
            {
                Started = T0 + TimeSpan.FromMinutes(20),
            },
            Task(3, TaskPhase.Queued),
        ];
        var now = T0 + TimeSpan.FromMinutes(30);

        estimate.Observe(first, now);

        // 20 min per task, one slot in use: task 2 has 10 min left, task 3 needs 20.
        Assert.Equal(TimeSpan.FromMinutes(30), estimate.TimeLeft(first, now));
    }
}
