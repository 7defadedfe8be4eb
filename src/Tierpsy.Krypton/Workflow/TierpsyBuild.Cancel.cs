using Tierpsy.Krypton.Remote;
using Tierpsy.Krypton.Schedulers;
using Tierpsy.Krypton.Targets;

namespace Tierpsy.Krypton.Workflow;

public abstract partial class TierpsyBuild
{
    /// <summary>Cancels the project's queued or running submissions (--submission-id for one).</summary>
    /// <remarks>
    /// Each cancelled submission is recorded in .krypton/state/, so Verify calls its unfinished videos "cancelled by
    /// you" and their tasks use no attempt.
    /// </remarks>
    public virtual Target Cancel =>
        _ =>
            _.Description("Cancels the project's queued or running submissions (--submission-id for one)")
                .After(Monitor)
                .Executes(async ct =>
                {
                    var remote = await ConnectAsync(ct);
                    var active = await ActiveTasksAsync(remote, ct);
                    var chosen = active
                        .Submissions.Where(a => SubmissionId is null || a.Submission.Id == SubmissionId)
                        .Select(a => a.Submission)
                        .ToList();
                    if (SubmissionId is not null && chosen.Count == 0)
                        // it may run where the scheduler cannot say: cancel anyway
                        chosen = [State.Load(SubmissionId)!];
                    if (chosen.Count == 0)
                    {
                        Log.Success("Nothing to cancel: no task of this project is queued or running.");
                        return;
                    }
                    foreach (var submission in chosen)
                        await CancelSubmissionAsync(remote, submission, ct);
                    Log.Success(
                        $"Cancelled {chosen.Count} submission{(chosen.Count == 1 ? "" : "s")}. Verify names their "
                            + "unfinished videos 'cancelled by you'; Verify --resubmit submits them again without "
                            + "using an attempt."
                    );
                });

    /// <summary>Runs the scheduler's cancel command for one submission and records the cancellation.</summary>
    private async Task CancelSubmissionAsync(IRemote remote, Submission submission, CancellationToken ct)
    {
        var scheduler = submission.Scheduler.CreateScheduler();
        var command = scheduler.CancelCommand(submission.Chunks);
        var result = await remote.RunAsync(command, CommandTimeouts.Query, ct);
        // A job that ended meanwhile makes qdel say "Unknown Job Id": there is nothing left to cancel, which is fine.
        if (result.ExitCode != 0)
            Log.Warning($"{command}: {result.All.Trim()} (exit code {result.ExitCode}).");
        if (!IsDryRun)
            State.MarkCancelled(submission, DateTimeOffset.UtcNow);
        Log.Info(
            $"cancelled submission {submission.Id} (job {string.Join(", ", submission.Arrays.Select(a => a.JobId))})"
        );
    }
}
