using Tierpsy.Krypton.Remote;
using Tierpsy.Krypton.Schedulers;

namespace Tierpsy.Krypton.Tests.Schedulers;

/// <summary>
/// Status parsers on recorded output. The SLURM output was recorded on the test cluster; the PBS Pro file is in the
/// format of real OpenPBS (PbsProStatusTests replays real answers); the Torque file follows Torque's documented qstat
/// table, as Torque cannot be installed here.
/// </summary>
public class SchedulerStatusTests
{
    private static string Recorded(string name) =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Schedulers", "Recorded", name));

    [Fact]
    public void PbsPro_reads_sub_jobs_and_a_plain_one_task_job_from_qstat_json()
    {
        var chunks = new[]
        {
            new SubmittedChunk(new ArrayChunk(1, 0, 4), "1234[].localhost"),
            new SubmittedChunk(new ArrayChunk(2, 4, 1), "1240.localhost"),
        };
        var json = Recorded("pbspro_qstat_f_F_json_x_t.json");
        var framed = string.Concat(
            chunks.Select(c => $"\n=== krypton qstat {c.JobId} ===\n{json}\n=== krypton exit 0 ===\n")
        );

        var tasks = new PbsProScheduler().ParseStatus(new CommandResult(0, framed, ""), chunks);

        Assert.Equal(
            [
                (1, SchedulerTaskState.Ended, (int?)0),
                (2, SchedulerTaskState.Ended, 1),
                (3, SchedulerTaskState.Running, null),
                (4, SchedulerTaskState.Queued, null),
                (5, SchedulerTaskState.Ended, 271),
            ],
            tasks.Select(t => (t.Task, t.State, t.ExitCode))
        );
    }

    [Fact]
    public void PbsPro_json_cut_off_in_the_middle_is_an_unreadable_answer_not_a_status()
    {
        var chunks = new[] { new SubmittedChunk(new ArrayChunk(1, 0, 4), "1234[].localhost") };
        var json = Recorded("pbspro_qstat_f_F_json_x_t.json");
        var framed =
            $"\n=== krypton qstat {chunks[0].JobId} ===\n{json[..(json.Length / 2)]}\n=== krypton exit 0 ===\n";

        var error = Assert.Throws<SchedulerException>(() =>
            new PbsProScheduler().ParseStatus(new CommandResult(0, framed, ""), chunks)
        );

        Assert.Equal(SchedulerFailure.UnreadableAnswer, error.Reason);
    }

    [Fact]
    public void PbsPro_frames_in_crlf_output_with_a_later_twin_are_read_by_their_last_answer()
    {
        var chunks = new[] { new SubmittedChunk(new ArrayChunk(1, 0, 4), "1234[].localhost") };
        var json = Recorded("pbspro_qstat_f_F_json_x_t.json");
        var unknown = "\n=== krypton qstat 1234[].localhost ===\n\n=== krypton exit 153 ===\n";
        var framed = (unknown + $"\n=== krypton qstat 1234[].localhost ===\n{json}\n=== krypton exit 0 ===\n").Replace(
            "\n",
            "\r\n",
            StringComparison.Ordinal
        );

        var tasks = new PbsProScheduler().ParseStatus(new CommandResult(0, framed, ""), chunks);

        Assert.Equal([1, 2, 3, 4], tasks.Select(t => t.Task));
        Assert.Equal(SchedulerTaskState.Running, tasks[2].State);
    }

    [Fact]
    public void PbsPro_status_is_one_command_with_one_qstat_per_quoted_array_id()
    {
        var chunks = new[]
        {
            new SubmittedChunk(new ArrayChunk(1, 0, 500), "1234[].localhost"),
            new SubmittedChunk(new ArrayChunk(2, 500, 500), "1235[].localhost"),
        };

        var command = new PbsProScheduler().StatusCommand(chunks);

        Assert.Contains("for id in '1234[].localhost' '1235[].localhost'; do ", command);
        Assert.Contains("qstat -f -F json $h -t \"$id\"", command);
    }

    [Fact]
    public void PbsPro_output_without_any_answer_is_an_error()
    {
        var chunks = new[] { new SubmittedChunk(new ArrayChunk(1, 0, 2), "99[].localhost") };

        var missing = new CommandResult(127, "", "bash: qstat: command not found\n");

        Assert.Throws<SchedulerException>(() => new PbsProScheduler().ParseStatus(missing, chunks));
    }

    [Fact]
    public void Torque_reads_the_qstat_t_table_with_an_offset_chunk()
    {
        var chunks = new[] { new SubmittedChunk(new ArrayChunk(2, 10, 4), "1098[].localhost") };

        var tasks = new TorqueScheduler().ParseStatus(new CommandResult(0, Recorded("torque_qstat_t.txt"), ""), chunks);

        Assert.Equal(
            [
                (11, SchedulerTaskState.Ended, "C"),
                (12, SchedulerTaskState.Running, "R"),
                (13, SchedulerTaskState.Queued, "Q"),
                (14, SchedulerTaskState.Queued, "H"),
            ],
            tasks.Select(t => (t.Task, t.State, t.Raw))
        );
    }

    [Fact]
    public void Slurm_reads_squeue_r_and_reports_tasks_that_left_the_queue_as_not_listed()
    {
        var chunks = new[] { new SubmittedChunk(new ArrayChunk(1, 0, 5), "5") };

        var tasks = new SlurmScheduler().ParseStatus(new CommandResult(0, Recorded("slurm_squeue_r.txt"), ""), chunks);

        Assert.Equal(
            [
                SchedulerTaskState.Running,
                SchedulerTaskState.Running,
                SchedulerTaskState.Queued,
                SchedulerTaskState.Queued,
                SchedulerTaskState.NotListed,
            ],
            tasks.Select(t => t.State)
        );
        Assert.Equal("squeue -r -h -t all -j 5 -o '%i|%T|%r'", new SlurmScheduler().StatusCommand(chunks));
    }

    [Fact]
    public void Slurm_gives_the_reason_a_queued_task_waits_and_which_reasons_never_resolve()
    {
        // Recorded on SLURM 22.05.8: job 1 asked for 64 CPUs of a 4-CPU node, job 2 waits for nothing in particular.
        var chunks = new[]
        {
            new SubmittedChunk(new ArrayChunk(1, 0, 3), "1"),
            new SubmittedChunk(new ArrayChunk(2, 3, 3), "2"),
        };

        var tasks = new SlurmScheduler().ParseStatus(
            new CommandResult(0, Recorded("slurm_squeue_r_pending_reasons.txt"), ""),
            chunks
        );

        Assert.Equal(
            ["PartitionConfig", "PartitionConfig", "PartitionConfig", null, null, null],
            tasks.Select(t => t.Waiting)
        );
        Assert.Contains("lower --cpus", PendingReasons.Advice("PartitionConfig"));
        Assert.Contains("--walltime", PendingReasons.Advice("PartitionTimeLimit"));
        Assert.Null(PendingReasons.Advice("Resources"));
        Assert.Null(PendingReasons.Advice("Priority"));
    }

    [Fact]
    public void Slurm_names_a_cancelled_task_as_cancelled_while_squeue_still_lists_it()
    {
        // Recorded on SLURM 22.05.8: job 4 ended by itself, 5 was cancelled while pending (--begin), task 2 of 6
        // cancelled while task 1 ran, 7 failed.
        var chunks = new[] { "4", "5", "6", "7" }
            .Select((id, i) => new SubmittedChunk(new ArrayChunk(i + 1, 2 * i, 2), id))
            .ToArray();

        var tasks = new SlurmScheduler().ParseStatus(
            new CommandResult(0, Recorded("slurm_squeue_r_t_all.txt"), ""),
            chunks
        );

        Assert.Equal(
            [
                (1, SchedulerTaskState.Ended, (TaskEndCause?)null),
                (2, SchedulerTaskState.Ended, null),
                (3, SchedulerTaskState.Ended, TaskEndCause.Cancelled),
                (4, SchedulerTaskState.Ended, TaskEndCause.Cancelled),
                (5, SchedulerTaskState.Running, null),
                (6, SchedulerTaskState.Ended, TaskEndCause.Cancelled),
                (7, SchedulerTaskState.Ended, null),
                (8, SchedulerTaskState.Ended, null),
            ],
            tasks.Select(t => (t.Task, t.State, t.Cause))
        );
    }

    [Fact]
    public void Slurm_invalid_job_id_means_not_listed_and_a_dead_controller_is_an_error()
    {
        var chunks = new[] { new SubmittedChunk(new ArrayChunk(1, 0, 2), "77") };

        var invalid = new CommandResult(1, "", "slurm_load_jobs error: Invalid job id specified\n");
        Assert.All(new SlurmScheduler().ParseStatus(invalid, chunks), t =>
            Assert.Equal(SchedulerTaskState.NotListed, t.State)
        );
        Assert.Throws<SchedulerException>(() =>
            new SlurmScheduler().ParseStatus(
                new CommandResult(
                    1,
                    "",
                    "slurm_load_jobs error: Unable to contact slurm controller (connect failure)\n"
                ),
                chunks
            )
        );
    }

    [Fact]
    public void Torque_names_a_hold_as_the_only_reason_its_table_gives_and_says_what_releases_it()
    {
        var chunks = new[] { new SubmittedChunk(new ArrayChunk(1, 0, 4), "1098[].localhost") };

        var tasks = new TorqueScheduler().ParseStatus(new CommandResult(0, Recorded("torque_qstat_t.txt"), ""), chunks);

        Assert.Equal([null, null, null, "Held"], tasks.Select(t => t.Waiting));
        Assert.Contains("qrls", PendingReasons.Advice("Held"));
    }

    [Fact]
    public void Torque_unknown_array_id_leaves_its_tasks_not_listed()
    {
        var chunks = new[] { new SubmittedChunk(new ArrayChunk(1, 0, 2), "1098[].localhost") };

        var unknown = new CommandResult(153, "", "qstat: Unknown Array ID 1098[].localhost\n");

        var tasks = new TorqueScheduler().ParseStatus(unknown, chunks);

        Assert.All(tasks, t => Assert.Equal(SchedulerTaskState.NotListed, t.State));
    }

    [Fact]
    public void Slurm_accounting_and_squeue_say_why_tasks_were_killed_and_without_either_nothing_is_known()
    {
        var chunks = new[] { new SubmittedChunk(new ArrayChunk(1, 0, 4), "24") };
        const string sacct =
            "24_1|COMPLETED|0:0\n24_2|TIMEOUT|0:15\n24_3|OUT_OF_MEMORY|0:125\n24_4|CANCELLED by 0|0:15\n";
        var scheduler = new SlurmScheduler();

        var causes = scheduler.ParseEnds(new CommandResult(0, sacct + "=== krypton squeue\n", ""), chunks);
        var none = scheduler.ParseEnds(
            new CommandResult(0, "=== krypton squeue\n", "Slurm accounting storage is disabled\n"),
            chunks
        );
        var queue = scheduler.ParseEnds(
            new CommandResult(0, "=== krypton squeue\n24_4|CANCELLED|None\n", "Slurm accounting storage is disabled\n"),
            chunks
        );

        Assert.Equal(
            [(2, TaskEndCause.Walltime), (3, TaskEndCause.Memory), (4, TaskEndCause.Cancelled)],
            causes.OrderBy(c => c.Key).Select(c => (c.Key, c.Value))
        );
        Assert.Empty(none);
        Assert.Equal([(4, TaskEndCause.Cancelled)], queue.Select(c => (c.Key, c.Value)));
        Assert.Equal(
            "sacct -X -P -n -j 24 --format=JobID,State,ExitCode; echo '=== krypton squeue'; "
                + "squeue -r -h -t all -j 24 -o '%i|%T|%r'",
            scheduler.EndsCommand(chunks)
        );
    }

    [Theory]
    [InlineData(SchedulerKind.PbsPro, "1234[].localhost\n", "1234[].localhost")]
    [InlineData(SchedulerKind.PbsPro, "1240.localhost\n", "1240.localhost")]
    [InlineData(SchedulerKind.Torque, "1098[].localhost\n", "1098[].localhost")]
    [InlineData(SchedulerKind.Slurm, "101\n", "101")]
    [InlineData(SchedulerKind.Slurm, "102;ci\n", "102")]
    [InlineData(SchedulerKind.Local, "4242\n", "4242")]
    public void Submit_output_gives_the_job_id(SchedulerKind kind, string output, string id) =>
        Assert.Equal(id, kind.CreateScheduler().ParseSubmitOutput(output));

    [Theory]
    [InlineData(SchedulerKind.PbsPro, "qsub: illegal -J value\n")]
    [InlineData(SchedulerKind.Slurm, "sbatch: error: Batch job submission failed: Invalid partition name specified\n")]
    public void Submit_output_without_an_id_is_an_error(SchedulerKind kind, string output) =>
        Assert.Throws<SchedulerException>(() => kind.CreateScheduler().ParseSubmitOutput(output));

    [Theory]
    [InlineData(SchedulerKind.PbsPro, "Server: localhost\n    max_array_size = 10\n", 10)]
    [InlineData(SchedulerKind.PbsPro, "Server: localhost\n    server_state = Active\n", 10000)]
    [InlineData(SchedulerKind.Torque, "set server max_job_array_size = 1000\n", 1000)]
    [InlineData(SchedulerKind.Slurm, "MaxArraySize            = 1001\nMaxJobCount = 10000\n", 1000)]
    public void The_array_cap_is_read_from_the_site(SchedulerKind kind, string output, int cap) =>
        Assert.Equal(cap, kind.CreateScheduler().ParseArrayCap(output));

    [Fact]
    public void Chunks_respect_the_cap_and_cover_every_task_once()
    {
        var job = new ArrayJob
        {
            Name = "x",
            Directory = "/w",
            TaskCount = 25,
            Resources = new Resources(TimeSpan.FromHours(1)),
        };

        var chunks = job.Chunks(10);

        Assert.Equal([(1, 0, 10), (2, 10, 10), (3, 20, 5)], chunks.Select(c => (c.Number, c.Offset, c.Count)));
        Assert.Equal(Enumerable.Range(1, 25), chunks.SelectMany(c => Enumerable.Range(c.FirstTask, c.Count)));
    }

    [Theory]
    [InlineData("16gb", "16G")]
    [InlineData("500mb", "500M")]
    [InlineData("16G", "16G")]
    public void Pbs_memory_is_translated_for_slurm(string pbs, string slurm) =>
        Assert.Equal(slurm, SlurmScheduler.SlurmMemory(pbs));
}
