using System.Text.RegularExpressions;
using Spectre.Console;
using Tierpsy.Krypton.Remote;
using Tierpsy.Krypton.Schedulers;
using Tierpsy.Krypton.Targets;
using Tierpsy.Krypton.Tests.Targets;
using Tierpsy.Krypton.TestSupport;
using Tierpsy.Krypton.Workflow;

namespace Tierpsy.Krypton.Tests.Workflow;

/// <summary>
/// What Monitor shows over a run of three tasks on a fake SLURM, on a clock that jumps to each next poll: plain lines
/// when piped, a live view on a terminal, and what Ctrl+C says.
/// </summary>
public partial class MonitorViewTests
{
    /// <summary>A clock whose timers fire at once, moving the time to when they were due.</summary>
    private sealed class JumpingClock(DateTimeOffset start) : TimeProvider
    {
        private DateTimeOffset _now = start;

        public override DateTimeOffset GetUtcNow() => _now;

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            if (dueTime != Timeout.InfiniteTimeSpan)
            {
                _now += dueTime;
                ThreadPool.QueueUserWorkItem(_ => callback(state));
            }
            return new Idle();
        }

        private sealed class Idle : ITimer
        {
            public bool Change(TimeSpan dueTime, TimeSpan period) => true;

            public void Dispose() { }

            public ValueTask DisposeAsync() => ValueTask.CompletedTask;
        }
    }

    private static readonly DateTimeOffset Start = DateTimeOffset.Parse("2026-12-04T10:00:00Z", null);

    private sealed class ScriptedBuild : TierpsyBuild
    {
        public FakeRemote Remote { get; init; } = Cluster(Run);
        private protected override TimeProvider Clock { get; } = new JumpingClock(Start);

        private protected override Task<IRemote> ConnectAsync(CancellationToken cancellationToken) =>
            Task.FromResult<IRemote>(Remote);
    }

    /// <summary>
    /// One round: squeue's lines, and each task's log as the probe reports it (task|exists|step|exit).
    /// </summary>
    private sealed record Round(string Squeue, string[] Logs);

    private static readonly Round Queued = new(
        "401_1|PENDING|Priority\n401_2|PENDING|Priority\n401_3|PENDING|Priority\n",
        ["1|0||", "2|0||", "3|0||"]
    );
    private static readonly Round TwoRunning = new(
        "401_1|RUNNING|None\n401_2|RUNNING|None\n401_3|PENDING|Resources\n",
        ["1|1|COMPRESS|", "2|1|TRAJ_CREATE|", "3|0||"]
    );
    private static readonly Round OneFailed = new(
        "401_1|COMPLETED|None\n401_2|FAILED|NonZeroExitCode\n401_3|RUNNING|None\n",
        ["1|1|FEAT_TIERPSY|0", "2|1|TRAJ_CREATE|1", "3|1|COMPRESS|"]
    );
    private static readonly Round AllEnded = new(
        "401_3|COMPLETED|None\n",
        ["1|1|FEAT_TIERPSY|0", "2|1|TRAJ_CREATE|1", "3|1|FEAT_TIERPSY|0"]
    );

    /// <summary>
    /// Queued, two running, one failed and then nothing new for a long while (longer than the estimate said: past
    /// the polls aimed at its end), the end.
    /// </summary>
    private static readonly Round[] Run = [Queued, TwoRunning, .. Enumerable.Repeat(OneFailed, 16), AllEnded];

    /// <summary>
    /// A cluster that answers round after round; <paramref name="onRound"/> sees each round's number.
    /// </summary>
    private static FakeRemote Cluster(Round[] rounds, Action<int>? onRound = null)
    {
        var round = 0;
        return new FakeRemote(command =>
        {
            if (command.StartsWith("squeue", StringComparison.Ordinal))
            {
                round++;
                onRound?.Invoke(round);
                return new CommandResult(0, rounds[Math.Min(round, rounds.Length) - 1].Squeue, "");
            }
            var logs = rounds[Math.Min(round, rounds.Length) - 1].Logs;
            return new CommandResult(0, string.Join("\n", logs) + "\n", "");
        });
    }

    private static TempDirectory Project()
    {
        var project = new TempDirectory("krypton-monitor");
        project.Write(
            ".krypton/parameters.json",
            """
            { "Host": "localhost", "User": "jdoe", "Scheduler": "slurm", "RemoteRoot": "~/demo",
              "ParamsFile": "AuxiliaryFiles/p.json", "PollInterval": "60s" }
            """
        );
        project.Write("AuxiliaryFiles/p.json", Fixtures.Read("params/loopbio_rig_96WP_splitFOV_NN_20220310.json"));
        new ProjectState(AbsolutePath.Create(project.Path)).Save(
            new Submission
            {
                Id = "s3",
                Attempt = 1,
                Scheduler = SchedulerKind.Slurm,
                SubmittedAt = Start,
                Directory = "/home/jdoe/demo/workspace/submissions/s3",
                Videos = [.. Enumerable.Range(1, 3).Select(i => $"/home/jdoe/demo/RawVideos/20210504/cam{i}/m.yaml")],
                Arrays = [new SubmittedArray(1, 0, 3, "401")],
            }
        );
        return project;
    }

    [GeneratedRegex(@"^\[\d\d:\d\d:\d\d\]", RegexOptions.Multiline)]
    private static partial Regex LocalTime();

    [Fact]
    public void Piped_monitor_prints_a_line_per_change_and_a_heartbeat_every_ten_minutes()
    {
        using var project = Project();

        var run = BuildHarness.Run(["Monitor"], root: project.Path, build: new ScriptedBuild { Remote = Cluster(Run) });

        Assert.Equal(1, run.ExitCode);
        Assert.DoesNotContain("\u001b[", run.Output, StringComparison.Ordinal);
        Approvals.Verify(LocalTime().Replace(run.Output, "[local time]"));
    }

    [Fact]
    public void Ctrl_c_says_the_jobs_keep_running_and_how_to_look_again_or_cancel()
    {
        using var project = Project();
        using var ctrlC = new CancellationTokenSource();
        var remote = Cluster(Run, onRound: round =>
        {
            if (round == 3)
                ctrlC.Cancel();
        });

        var run = BuildHarness.RunCancellable(
            ["Monitor"],
            ctrlC.Token,
            root: project.Path,
            build: new ScriptedBuild { Remote = remote }
        );

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains(
            "the jobs of submission s3 keep running on the cluster. Look again with Monitor, or stop them with Cancel.",
            run.Output
        );
    }

    private static (IAnsiConsole Console, StringWriter Screen) Terminal(ColorSystemSupport colors)
    {
        var screen = new StringWriter();
        var console = AnsiConsole.Create(
            new AnsiConsoleSettings
            {
                Ansi = AnsiSupport.Yes,
                ColorSystem = colors,
                Interactive = InteractionSupport.Yes,
                Out = new AnsiConsoleOutput(screen),
            }
        );
        console.Profile.Width = 100;
        return (console, screen);
    }

    [Fact]
    public void On_a_terminal_monitor_draws_a_live_view_of_the_tasks_by_phase_with_colours()
    {
        using var project = Project();
        var (console, screen) = Terminal(ColorSystemSupport.TrueColor);

        var run = BuildHarness.Run(
            ["Monitor"],
            root: project.Path,
            build: new ScriptedBuild { Remote = Cluster(Run) },
            terminal: console
        );

        var drawn = screen.ToString();

        Assert.Equal(1, run.ExitCode);
        Assert.DoesNotContain("since Submit", run.Output); // the view is drawn on the terminal, not printed
        Assert.Contains("Submission s3", drawn);
        Assert.Contains("no estimate yet", drawn); // before a task was seen from start to end
        Assert.Contains("less than a minute left by the tasks seen so far", drawn);
        Assert.Contains("█", drawn); // the bar
        Assert.Contains("Running, by checkpoint:", drawn);
        Assert.Contains("task    2  Failed (exit 1) in TRAJ_CREATE  20210504/cam2/m.yaml", drawn);
        Assert.Contains("Ctrl+C stops watching; the jobs keep running on the cluster.", drawn);
        Assert.Matches(ColourCode(), drawn);
    }

    [GeneratedRegex(@"\u001b\[(3[0-7]|38;[0-9;]+|9[0-7])m")]
    private static partial Regex ColourCode();

    [Fact]
    public void Under_no_color_the_terminal_gets_the_live_view_without_colours()
    {
        var screen = new StringWriter();
        var console = BuildInvocation.TerminalOf(
            new Dictionary<string, string> { ["NO_COLOR"] = "1", ["TERM"] = "xterm-256color" },
            redirected: false,
            screen
        )!;
        console.Profile.Capabilities.Ansi = true;

        console.Write(
            LiveMonitorView.Render(
                new MonitorSnapshot(
                    "s3",
                    Start,
                    TimeSpan.FromMinutes(5),
                    [new TaskProgress(1, "/v/1.yaml", TaskPhase.Failed, "COMPRESS", 1, "FAILED", 0, true)],
                    null,
                    new ProjectLayout("/home/jdoe/demo")
                ),
                []
            )
        );

        Assert.Contains("Failed (exit 1) in COMPRESS", screen.ToString());
        Assert.DoesNotMatch(ColourCode(), screen.ToString());
    }

    [Fact]
    public void A_piped_output_gets_no_live_view()
    {
        Assert.Null(BuildInvocation.TerminalOf(new Dictionary<string, string>(), redirected: true, new StringWriter()));
    }
}
