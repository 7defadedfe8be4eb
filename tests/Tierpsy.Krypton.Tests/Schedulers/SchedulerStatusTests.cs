using Tierpsy.Krypton.Schedulers;

namespace Tierpsy.Krypton.Tests.Schedulers;

/// <summary>
/// Status parsers on recorded output. The SLURM output was recorded on the test cluster (shared/cluster §10); the
/// PBS Pro and Torque files follow their documented formats (qstat -F json's "Jobs" object keyed by job id,
/// Torque's qstat table), as neither can be installed here.
/// </summary>
public class SchedulerStatusTests
{
    private static string Recorded(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Schedulers", "Recorded", name));

    [Fact]
    public void PbsPro_reads_sub_jobs_and_a_plain_one_task_job_from_qstat_json()
    {
        var chunks = new[] { new SubmittedChunk(new ArrayChunk(1, 0, 4), "1234[].localhost"), new SubmittedChunk(new ArrayChunk(2, 4, 1), "1240.localhost") };

        var tasks = new PbsProScheduler().ParseStatus(Recorded("pbspro_qstat_f_F_json_x_t.json"), 0, chunks);

        Assert.Equal(
            [(1, SchedulerTaskState.Ended, (int?)0), (2, SchedulerTaskState.Ended, 1), (3, SchedulerTaskState.Running, null),
             (4, SchedulerTaskState.Queued, null), (5, SchedulerTaskState.Ended, 271)],
            tasks.Select(t => (t.Task, t.State, t.ExitCode)));
    }

    [Fact]
    public void PbsPro_status_is_one_command_for_every_chunk_with_quoted_array_ids()
    {
        var chunks = new[] { new SubmittedChunk(new ArrayChunk(1, 0, 500), "1234[].localhost"), new SubmittedChunk(new ArrayChunk(2, 500, 500), "1235[].localhost") };

        Assert.Equal("qstat -f -F json -x -t '1234[].localhost' '1235[].localhost'", new PbsProScheduler().StatusCommand(chunks));
    }

    [Fact]
    public void PbsPro_unknown_job_leaves_every_task_not_listed_and_other_failures_are_errors()
    {
        var chunks = new[] { new SubmittedChunk(new ArrayChunk(1, 0, 2), "99[].localhost") };
        var scheduler = new PbsProScheduler();

        var unknown = scheduler.ParseStatus("qstat: Unknown Job Id 99[].localhost\n", 153, chunks);

        Assert.All(unknown, t => Assert.Equal(SchedulerTaskState.NotListed, t.State));
        Assert.Throws<SchedulerException>(() => scheduler.ParseStatus("qstat: cannot connect to server localhost (errno=111)\n", 2, chunks));
        Assert.Throws<SchedulerException>(() => scheduler.ParseStatus("{ not json", 0, chunks));
    }

    [Fact]
    public void Torque_reads_the_qstat_t_table_with_an_offset_chunk()
    {
        var chunks = new[] { new SubmittedChunk(new ArrayChunk(2, 10, 4), "1098[].localhost") };

        var tasks = new TorqueScheduler().ParseStatus(Recorded("torque_qstat_t.txt"), 0, chunks);

        Assert.Equal([(11, SchedulerTaskState.Ended, "C"), (12, SchedulerTaskState.Running, "R"), (13, SchedulerTaskState.Queued, "Q"), (14, SchedulerTaskState.Queued, "H")],
            tasks.Select(t => (t.Task, t.State, t.Raw)));
    }

    [Fact]
    public void Slurm_reads_squeue_r_and_reports_tasks_that_left_the_queue_as_not_listed()
    {
        var chunks = new[] { new SubmittedChunk(new ArrayChunk(1, 0, 5), "5") };

        var tasks = new SlurmScheduler().ParseStatus(Recorded("slurm_squeue_r.txt"), 0, chunks);

        Assert.Equal(
            [SchedulerTaskState.Running, SchedulerTaskState.Running, SchedulerTaskState.Queued, SchedulerTaskState.Queued, SchedulerTaskState.NotListed],
            tasks.Select(t => t.State));
        Assert.Equal("squeue -r -h -j 5 -o '%i|%T|%r'", new SlurmScheduler().StatusCommand(chunks));
    }

    [Fact]
    public void Slurm_invalid_job_id_means_not_listed_and_a_dead_controller_is_an_error()
    {
        var chunks = new[] { new SubmittedChunk(new ArrayChunk(1, 0, 2), "77") };

        Assert.All(new SlurmScheduler().ParseStatus("slurm_load_jobs error: Invalid job id specified\n", 1, chunks),
            t => Assert.Equal(SchedulerTaskState.NotListed, t.State));
        Assert.Throws<SchedulerException>(() => new SlurmScheduler().ParseStatus(
            "slurm_load_jobs error: Unable to contact slurm controller (connect failure)\n", 1, chunks));
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
        var job = new ArrayJob { Name = "x", Directory = "/w", TaskCount = 25, Resources = new Resources(TimeSpan.FromHours(1)) };

        var chunks = job.Chunks(10);

        Assert.Equal([(1, 0, 10), (2, 10, 10), (3, 20, 5)], chunks.Select(c => (c.Number, c.Offset, c.Count)));
        Assert.Equal(Enumerable.Range(1, 25), chunks.SelectMany(c => Enumerable.Range(c.FirstTask, c.Count)));
    }

    [Theory]
    [InlineData("16gb", "16G")]
    [InlineData("500mb", "500M")]
    [InlineData("16G", "16G")]
    public void Pbs_memory_is_translated_for_slurm(string pbs, string slurm) => Assert.Equal(slurm, SlurmScheduler.SlurmMemory(pbs));
}
