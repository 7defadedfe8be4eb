namespace Tierpsy.Krypton.Schedulers;

/// <summary>
/// Which of the scheduler's reasons for a queued task do not resolve on their own, and what to change. SLURM's
/// reason codes are those of squeue(1) "JOB REASON CODES"; the others (Resources, Priority, BeginTime, Dependency,
/// JobArrayTaskLimit, ...) only say the task waits its turn.
/// </summary>
internal static class PendingReasons
{
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
            _ when reason.StartsWith("QOSMax", StringComparison.Ordinal)
                    && reason.EndsWith("PerJobLimit", StringComparison.Ordinal) =>
                "a task asks for more than the QOS allows for one job: lower --cpus, --memory or --walltime",
            _ when reason.StartsWith("AssocMax", StringComparison.Ordinal)
                    && reason.EndsWith("PerJobLimit", StringComparison.Ordinal) =>
                "a task asks for more than your account allows for one job: lower --cpus, --memory or --walltime",
            _ => null,
        };
}
