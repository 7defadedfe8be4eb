namespace Tierpsy.Krypton.Schedulers;

/// <summary>
/// Which of the scheduler's reasons for a queued task do not resolve on their own, and what to change. SLURM's
/// reason codes are those of squeue(1) "JOB REASON CODES"; the others (Resources, Priority, BeginTime, Dependency,
/// JobArrayTaskLimit, ...) only say the task waits its turn. PBS Pro's scheduler writes its reason into the job's
/// <c>comment</c>, prefixed "Not Running: " (waits its turn) or "Can Never Run: " (OpenPBS src/scheduler constant.h
/// and job_info.cpp translate_fail_code); a queued sub-job shows its array's comment. Torque's <c>qstat -t</c> gives
/// no reason; a hold (state H) is the one it shows.
/// </summary>
internal static class PendingReasons
{
    /// <summary>The reason given for a held task (PBS or Torque state H).</summary>
    public const string Held = "Held";

    private const string NotRunning = "Not Running: ";
    private const string NeverRuns = "Can Never Run: ";

    /// <summary>
    /// A PBS Pro queued job's reason: its hold, or its scheduler comment without "Not Running: " ("Can Never Run: "
    /// stays, it is what makes the warning); null for a comment that is no reason ("Job Array Began at ...").
    /// </summary>
    public static string? FromPbs(string state, string? comment) =>
        state == "H" ? Held
        : comment is null ? null
        : comment.StartsWith(NotRunning, StringComparison.Ordinal) ? comment[NotRunning.Length..]
        : comment.StartsWith(NeverRuns, StringComparison.Ordinal) ? comment
        : null;

    /// <summary>What to change for a reason that never resolves by waiting; null for one that does.</summary>
    public static string? Advice(string reason) =>
        reason switch
        {
            "PartitionConfig" =>
                "the request does not fit the partition's limits (CPUs, memory or nodes): lower --cpus or --memory, "
                    + "or choose another --queue",
            "PartitionTimeLimit" =>
                "--walltime is longer than the partition allows: lower it, or choose another --queue",
            "PartitionNodeLimit" or "ReqNodeNotAvail" or "BadConstraints" =>
                "no node can give what a task asks for: lower --cpus or --memory",
            "InvalidAccount" or "InvalidQOS" or "AccountNotAllowed" or "QOSNotAllowed" =>
                "the account or QOS cannot run jobs in this partition: ask the cluster's admins which to use",
            Held => "a hold keeps them queued: release them with qrls and the job id, or ask who held them",
            _ when reason.StartsWith(NeverRuns, StringComparison.Ordinal) =>
                "PBS says the request can never be met as asked: lower --cpus, --memory or --walltime, "
                    + "or choose another --queue",
            _ when reason.StartsWith("QOSMax", StringComparison.Ordinal)
                    && reason.EndsWith("PerJobLimit", StringComparison.Ordinal) =>
                "a task asks for more than the QOS allows for one job: lower --cpus, --memory or --walltime",
            _ when reason.StartsWith("AssocMax", StringComparison.Ordinal)
                    && reason.EndsWith("PerJobLimit", StringComparison.Ordinal) =>
                "a task asks for more than your account allows for one job: lower --cpus, --memory or --walltime",
            _ => null,
        };
}
