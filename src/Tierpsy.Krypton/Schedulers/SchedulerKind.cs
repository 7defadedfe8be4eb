using System.Runtime.Serialization;

namespace Tierpsy.Krypton.Schedulers;

/// <summary>The batch system that runs the array jobs.</summary>
public enum SchedulerKind
{
    /// <summary>PBS Pro / OpenPBS (<c>qsub -J</c>, <c>PBS_ARRAY_INDEX</c>).</summary>
    [EnumMember(Value = "pbspro")]
    PbsPro,

    /// <summary>Torque (<c>qsub -t</c>, <c>PBS_ARRAYID</c>).</summary>
    [EnumMember(Value = "torque")]
    Torque,

    /// <summary>SLURM (<c>sbatch --array</c>, <c>SLURM_ARRAY_TASK_ID</c>).</summary>
    [EnumMember(Value = "slurm")]
    Slurm,

    /// <summary>No scheduler: the tasks run on this computer's cores.</summary>
    [EnumMember(Value = "local")]
    Local,
}

/// <summary>Picks the scheduler implementation of a <see cref="SchedulerKind"/>.</summary>
internal static class SchedulerKinds
{
    /// <summary>The scheduler for <paramref name="kind"/>.</summary>
    public static IScheduler CreateScheduler(this SchedulerKind kind) =>
        kind switch
        {
            SchedulerKind.PbsPro => new PbsProScheduler(),
            SchedulerKind.Torque => new TorqueScheduler(),
            SchedulerKind.Slurm => new SlurmScheduler(),
            SchedulerKind.Local => new LocalScheduler(),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
        };
}
