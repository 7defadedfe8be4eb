using Tierpsy.Krypton.Remote;
using Tierpsy.Krypton.Schedulers;
using Tierpsy.Krypton.Targets;
using Tierpsy.Krypton.Workflow;

namespace Tierpsy.Krypton.IntegrationTests;

/// <summary>
/// An array job that the test cluster's SLURM holds in its queue (as a busy cluster would), recorded in a project as
/// Submit records a submission: its tasks stay queued until it is disposed (scancel).
/// </summary>
internal sealed class HeldSubmission : IAsyncDisposable
{
    private readonly SshRemote _cluster;

    private HeldSubmission(SshRemote cluster, string jobId) => (_cluster, JobId) = (cluster, jobId);

    /// <summary>SLURM's id of the held job.</summary>
    public string JobId { get; }

    /// <summary>
    /// Holds one task per video and records them as submission <paramref name="id"/> of the project at <paramref
    /// name="project"/>.
    /// </summary>
    public static async Task<HeldSubmission> StartAsync(
        string project,
        string id,
        string submissionsFolder,
        IReadOnlyList<string> videos,
        CancellationToken ct
    )
    {
        var cluster = await SshRemote.ConnectAsync(TestCluster.Settings(), ct);
        var sbatch = await cluster.RunAsync(
            $"sbatch --parsable --hold --array=1-{videos.Count} --output=/dev/null --wrap=true",
            cancellationToken: ct
        );
        var job = sbatch.Output.Trim();
        Assert.True(sbatch.ExitCode == 0 && job.Length > 0, sbatch.All);
        new ProjectState(AbsolutePath.Create(project)).Save(
            new Submission
            {
                Id = id,
                Attempt = 1,
                Scheduler = SchedulerKind.Slurm,
                SubmittedAt = DateTimeOffset.UtcNow,
                Directory = Path.Combine(submissionsFolder, id),
                Videos = videos,
                Arrays = [new SubmittedArray(1, 0, videos.Count, job)],
            }
        );
        return new HeldSubmission(cluster, job);
    }

    /// <summary>Cancels the job, so its tasks end.</summary>
    public async ValueTask DisposeAsync()
    {
        await _cluster.RunAsync($"scancel {JobId}");
        await _cluster.DisposeAsync();
    }
}
