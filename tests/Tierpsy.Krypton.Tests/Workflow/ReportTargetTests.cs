using Tierpsy.Krypton.Remote;
using Tierpsy.Krypton.Schedulers;
using Tierpsy.Krypton.Targets;
using Tierpsy.Krypton.Tests.Targets;
using Tierpsy.Krypton.TestSupport;
using Tierpsy.Krypton.Workflow;

namespace Tierpsy.Krypton.Tests.Workflow;

/// <summary>The Report target against a fake cluster or none: when it asks the cluster, what it does without.</summary>
public class ReportTargetTests
{
    private const string Root = "/home/jdoe/tierpsy_demo";

    /// <summary>A cluster of fake answers, or (with none) one that cannot be reached.</summary>
    private sealed class ReportBuild : TierpsyBuild
    {
        public FakeRemote? Remote { get; init; }
        public int Connections { get; private set; }

        private protected override Task<IRemote> ConnectAsync(CancellationToken cancellationToken)
        {
            Connections++;
            return Remote is null
                ? throw new RemoteException("Cannot reach localhost:22 (Connection refused).")
                {
                    Reason = RemoteFailure.Unreachable,
                }
                : Task.FromResult<IRemote>(Remote);
        }
    }

    private static readonly Submission TwoVideos = new()
    {
        Id = "s2",
        Attempt = 1,
        Scheduler = SchedulerKind.Torque,
        SubmittedAt = DateTimeOffset.UtcNow.AddHours(-2),
        Directory = $"{Root}/workspace/submissions/s2",
        Videos = [$"{Root}/RawVideos/20210504/good.mp4", $"{Root}/RawVideos/20210504/bad.mp4"],
        Arrays = [new SubmittedArray(1, 0, 2, "1098[].localhost")],
        Walltime = TimeSpan.FromHours(1),
    };

    private static TempDirectory Project(Submission submission)
    {
        var project = new TempDirectory("krypton-report");
        project.Write(
            ".krypton/parameters.json",
            """{ "Host": "localhost", "User": "jdoe", "Scheduler": "torque", "RemoteRoot": "~/tierpsy_demo" }"""
        );
        new ProjectState(AbsolutePath.Create(project.Path)).Save(submission);
        return project;
    }

    /// <summary>The cluster's logs: task 1 ended with 0; task 2 with 1 (a traceback), or not yet.</summary>
    private static FakeRemote Cluster(bool secondEnded) =>
        new(command =>
            command.Contains("krypton log", StringComparison.Ordinal)
                ? new CommandResult(
                    0,
                    $"\n=== krypton log {Root}/workspace/submissions/s2/logs/2.log ===\nCOMPRESS\n"
                        + "OSError: [Errno 5] Input/output error\n# krypton exit 1\n",
                    ""
                )
            : command.Contains("awk", StringComparison.Ordinal)
                ? new CommandResult(
                    0,
                    "1|1|FEAT_INIT|0|1700000000|1700000600\n"
                        + (secondEnded ? "2|1|COMPRESS|1|1700000000|1700000100\n" : "2|1|COMPRESS||1700000000|\n"),
                    ""
                )
            : new CommandResult(0, "", "")
        );

    private static string Page(TempDirectory project) =>
        File.ReadAllText(Path.Combine(project.Path, "Results", "report.html"));

    [Fact]
    public void Once_every_task_has_ended_a_report_needs_no_cluster()
    {
        using var project = Project(TwoVideos);
        var first = BuildHarness.Run(
            ["Report"],
            root: project.Path,
            build: new ReportBuild { Remote = Cluster(secondEnded: true) }
        );
        Assert.True(first.ExitCode == 0, first.All);

        var offline = BuildHarness.Run(["Report"], root: project.Path, build: new ReportBuild());

        Assert.True(offline.ExitCode == 0, offline.All);
        Assert.Equal(0, offline.Build.Connections);
        var page = Page(project);
        Assert.Contains("OSError: [Errno 5] Input/output error", page);
        Assert.DoesNotContain("id=\"stale\"", page);
    }

    [Fact]
    public void An_unreachable_cluster_leaves_open_tasks_as_last_read_and_the_page_says_so()
    {
        using var project = Project(TwoVideos);
        var first = BuildHarness.Run(
            ["Report"],
            root: project.Path,
            build: new ReportBuild { Remote = Cluster(secondEnded: false) }
        );
        Assert.True(first.ExitCode == 0, first.All);

        var offline = BuildHarness.Run(["Report"], root: project.Path, build: new ReportBuild());

        Assert.True(offline.ExitCode == 0, offline.All);
        Assert.Contains("could not be reached", offline.All);
        var page = Page(project);
        Assert.Contains("id=\"stale\"", page);
        Assert.Contains("s2 (read ", page);
        Assert.Contains("queued or running", page);
    }

    [Fact]
    public void A_report_asks_the_cluster_again_for_tasks_that_had_not_ended()
    {
        using var project = Project(TwoVideos);
        BuildHarness.Run(
            ["Report"],
            root: project.Path,
            build: new ReportBuild { Remote = Cluster(secondEnded: false) }
        );
        var cluster = Cluster(secondEnded: true);

        var again = BuildHarness.Run(["Report"], root: project.Path, build: new ReportBuild { Remote = cluster });

        Assert.True(again.ExitCode == 0, again.All);
        Assert.Contains(cluster.Commands, c => c.Contains("awk", StringComparison.Ordinal));
        Assert.Contains("OSError: [Errno 5] Input/output error", Page(project));
    }

    [Fact]
    public void A_dry_run_records_nothing_of_the_tasks()
    {
        using var project = Project(TwoVideos);

        var dry = BuildHarness.Run(
            ["Report", "--dry-run"],
            root: project.Path,
            build: new ReportBuild { Remote = Cluster(secondEnded: true) }
        );

        Assert.True(dry.ExitCode == 0, dry.All);
        Assert.False(Directory.Exists(Path.Combine(project.Path, ".krypton", "state", "task-records")));
    }

    [Fact]
    public void A_cancelled_submission_settles_once_its_stopped_tasks_had_time_to_write_their_end()
    {
        var cancelled = TwoVideos with { CancelledAt = DateTimeOffset.UtcNow };
        TaskRecord[] open = [new(1, 1700000000, null, null, "COMPRESS"), new(2, null, null, null, null)];

        Assert.False(new SubmissionRecord(cancelled.CancelledAt!.Value, open).IsSettled(cancelled));
        Assert.True(
            new SubmissionRecord(cancelled.CancelledAt!.Value + SubmissionRecord.CancelSettles, open).IsSettled(
                cancelled
            )
        );
        Assert.False(new SubmissionRecord(DateTimeOffset.UtcNow.AddDays(1), open).IsSettled(TwoVideos));
    }
}
