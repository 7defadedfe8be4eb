using Tierpsy.Krypton.Schedulers;
using Tierpsy.Krypton.TestSupport;
using Tierpsy.Krypton.Tierpsy;
using Tierpsy.Krypton.Workflow;

namespace Tierpsy.Krypton.Tests.Schedulers;

/// <summary>The rendered job scripts, approved as plain text: one file per scheduler and case.</summary>
public class JobScriptApprovalTests
{
    private static ArrayJob Job(int tasks, int? throttle = null) =>
        new()
        {
            Name = "tierpsy my project",
            Directory = "/mnt/storage/home/jdoe/tierpsy_my project/workspace/submissions/20261125-190000",
            TaskCount = tasks,
            Resources = new Resources(TimeSpan.FromHours(30), Cpus: 2, Memory: "16gb", Queue: "short"),
            Setup = ["module load Anaconda3", "source activate tierpsy"],
            Throttle = throttle,
        };

    public static TheoryData<SchedulerKind> Kinds => new(Enum.GetValues<SchedulerKind>());

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Many_tasks(SchedulerKind kind) => Verify(kind, Job(20), cap: null, nameof(Many_tasks));

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Single_task(SchedulerKind kind) => Verify(kind, Job(1), cap: null, nameof(Single_task));

    [Theory]
    [MemberData(nameof(Kinds))]
    public void More_tasks_than_the_array_cap(SchedulerKind kind) =>
        Verify(kind, Job(25), cap: 10, nameof(More_tasks_than_the_array_cap));

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Throttled(SchedulerKind kind) => Verify(kind, Job(20, throttle: 4), cap: null, nameof(Throttled));

    [Theory]
    [MemberData(nameof(Kinds))]
    public void With_mail_account_and_a_directive(SchedulerKind kind) =>
        Verify(
            kind,
            Job(20) with
            {
                Site = new SiteOptions(
                    "jdoe@example.org",
                    MailOn.Fail,
                    "lab42",
                    kind switch
                    {
                        SchedulerKind.Slurm => ["#SBATCH --qos=long"],
                        SchedulerKind.Local => [],
                        _ => ["#PBS -l place=scatter"],
                    }
                ),
            },
            cap: null,
            nameof(With_mail_account_and_a_directive)
        );

    /// <summary>The day summaries of --then-summarize: they start once the videos' arrays have ended.</summary>
    [Theory]
    [MemberData(nameof(Kinds))]
    public void After_the_arrays_it_summarizes(SchedulerKind kind) =>
        Verify(
            kind,
            Job(2) with
            {
                AfterAny = kind switch
                {
                    SchedulerKind.Slurm => ["4101", "4102"],
                    SchedulerKind.PbsPro => ["12[].pbshost", "13[].pbshost"],
                    SchedulerKind.Torque => ["1098[].localhost", "1099[].localhost"],
                    _ => ["31337", "31338"],
                },
            },
            cap: null,
            nameof(After_the_arrays_it_summarizes)
        );

    /// <summary>
    /// Verify --resubmit after one video was killed at the walltime and one at the memory limit, and one failed
    /// otherwise: one array per set of resources, the walltime or the memory doubled, the third as it was.
    /// </summary>
    [Theory]
    [MemberData(nameof(Kinds))]
    public void Retries_that_learn(SchedulerKind kind)
    {
        RetryCandidate Video(string name, TaskEndCause? cause) =>
            new(new TierpsyTask([$"/data/RawVideos/{name}"]), cause, TimeSpan.FromHours(30), "16gb");
        var (groups, _) = RetryResources.Plan(
            [Video("a", TaskEndCause.Walltime), Video("b", TaskEndCause.Memory), Video("c", null)],
            Job(1).Resources,
            new RetryLimits(2, null, null)
        );

        var scheduler = kind.CreateScheduler();
        var text = string.Join(
            "\n",
            groups
                .Select(
                    (group, i) =>
                        Job(group.Tasks.Count) with
                        {
                            Directory =
                                $"/mnt/storage/home/jdoe/tierpsy_my project/workspace/submissions/retry-{i + 1}",
                            Resources = group.Resources,
                        }
                )
                .Select(job =>
                    $"$ {scheduler.SubmitCommand(job, job.Chunks(null)[0])}\n\n"
                    + scheduler.RenderScript(job, job.Chunks(null)[0])
                )
        );
        Approvals.Verify(text, $"{nameof(Retries_that_learn)}.{kind}");
    }

    private static void Verify(SchedulerKind kind, ArrayJob job, int? cap, string test)
    {
        var scheduler = kind.CreateScheduler();
        var text = string.Join(
            "\n",
            job.Chunks(cap)
                .Select(chunk =>
                    $"=== {Path.GetFileName(job.ScriptPath(chunk))} (tasks {chunk.FirstTask}-{chunk.LastTask}) ===\n"
                    + $"$ {scheduler.SubmitCommand(job, chunk)}\n\n{scheduler.RenderScript(job, chunk)}"
                )
        );
        Approvals.Verify(text, $"{test}.{kind}");
    }
}
