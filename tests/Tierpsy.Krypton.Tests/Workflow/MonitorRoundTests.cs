using Tierpsy.Krypton.Schedulers;
using Tierpsy.Krypton.Workflow;

namespace Tierpsy.Krypton.Tests.Workflow;

public class MonitorRoundTests
{
    private static readonly Submission Two = new()
    {
        Id = "s2",
        Attempt = 1,
        Scheduler = SchedulerKind.Slurm,
        SubmittedAt = DateTimeOffset.UtcNow,
        Directory = "/home/jdoe/p/workspace/submissions/s2",
        Videos = ["/v/a.mp4", "/v/b.mp4"],
        Arrays = [new SubmittedArray(1, 0, 2, "9")],
    };

    [Fact]
    public void An_end_without_a_cause_waits_for_the_log_as_long_as_an_unlisted_task_then_is_lost()
    {
        // Task 1 COMPLETED by SLURM's word, task 2 killed at the walltime; neither log has its end line yet.
        IReadOnlyList<SchedulerTask> status =
        [
            new(1, SchedulerTaskState.Ended, "COMPLETED"),
            new(2, SchedulerTaskState.Ended, "TIMEOUT", Cause: TaskEndCause.Walltime),
        ];
        var logs = new Dictionary<int, LogReading>
        {
            [1] = new(1, true, "COMPRESS", null),
            [2] = new(2, true, "COMPRESS", null),
        };

        IReadOnlyDictionary<int, TaskProgress>? previous = null;
        var phases = new List<(TaskPhase, TaskPhase)>();
        for (var round = 0; round < MonitorRound.UnlistedRoundsBeforeLost; round++)
        {
            var progress = MonitorRound.Combine(Two, status, logs, previous);
            phases.Add((progress[0].Phase, progress[1].Phase));
            previous = progress.ToDictionary(p => p.Task);
        }

        Assert.Equal(
            [
                (TaskPhase.Unknown, TaskPhase.Lost),
                (TaskPhase.Unknown, TaskPhase.Lost),
                (TaskPhase.Lost, TaskPhase.Lost),
            ],
            phases
        );
    }
}
