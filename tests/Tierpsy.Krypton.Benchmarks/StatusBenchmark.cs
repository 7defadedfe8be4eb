using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Tierpsy.Krypton.Remote;
using Tierpsy.Krypton.Schedulers;

namespace Tierpsy.Krypton.Benchmarks;

/// <summary>
/// Monitor at scale: how long each scheduler's status answer for 10,000 tasks takes to read, in Monitor's first round
/// (a fresh process: the parser's code compiled and its buffers touched for the first time) and in later rounds. The
/// answers are made from the recorded ones (the PBS JSON from OpenPBS 23.06.06's, one sub-job copied 10,000 times).
/// </summary>
internal static class StatusBenchmark
{
    /// <summary>The first argument of a child process that reads one answer and prints its times.</summary>
    internal const string OnceMode = "status-once";

    private const int Tasks = 10_000;
    private const int FreshProcesses = 7;
    private const int WarmRounds = 7;

    /// <summary>The section: what was measured, and a row per scheduler.</summary>
    public static string Run(string work)
    {
        var pbsRecording = Path.Combine(
            RepositoryRoot(),
            "tests",
            "fixtures",
            "pbs-recorded",
            "04_qstat_f_F_json_x_t_running.stdout"
        );
        Directory.CreateDirectory(work);
        var table = new StringBuilder(
            """

            ## Monitor at scale

            Monitor reads one status answer per round. Each row reads an answer for 10,000 tasks (a third running, a
            third queued, a third ended) with the scheduler's own parser: "first round" is the median over 7 fresh
            processes of the first read (the parser's code compiled and its buffers touched for the first time, as in
            Monitor's first round), "later rounds" the median of 7 more reads in the same processes. Each process starts
            after `sync`, as each transfer run does. The PBS answer is
            OpenPBS 23.06.06's recorded one (tests/fixtures/pbs-recorded/04) with
            its running sub-job copied for every task.


            """
        );
        table.Append("| status answer of 10,000 tasks | size | first round (ms) | later rounds (ms) | goal |\n");
        table.Append("|---|---:|---:|---:|---|\n");
        foreach (var kind in new[] { SchedulerKind.Slurm, SchedulerKind.PbsPro, SchedulerKind.Torque })
        {
            var file = Path.Combine(work, $"status-{kind}.txt");
            File.WriteAllText(file, Answer(kind, pbsRecording));
            var runs = Enumerable.Range(0, FreshProcesses).Select(_ => AfterSync(() => Child(kind, file))).ToList();
            var first = Median(runs.Select(r => r.First));
            var warm = Median(runs.Select(r => r.Warm));
            table.Append(
                CultureInfo.InvariantCulture,
                $"| {Name(kind)} | {new FileInfo(file).Length / 1e6:0.0} MB | {first:0} | {warm:0} | < 100 ms |\n"
            );
        }
        return table.Append(LogRound(work)).ToString();
    }

    /// <summary>
    /// The other half of a Monitor round: reading 1,000 running tasks' logs with <see cref="Workflow.LogProbe"/>'s
    /// three programs, against a <c>grep</c> and a <c>tail</c> per log, on this machine as the login node; CPU from
    /// bash's <c>times</c> (the shell and its children).
    /// </summary>
    private static string LogRound(string work)
    {
        var logs = Path.Combine(work, "logs");
        Directory.CreateDirectory(logs);
        var fixture = File.ReadAllLines(
            Path.Combine(
                RepositoryRoot(),
                "tests",
                "fixtures",
                "tierpsy",
                "generated",
                "joblogs",
                "output__hydra_synthplate_success.txt"
            )
        );
        const int open = 1_000;
        for (var i = 1; i <= open; i++)
            File.WriteAllLines(
                Path.Combine(logs, $"{i}.log"),
                ["# krypton start 1796412829", .. fixture.Take(100 + i % (fixture.Length - 100))]
            );
        var tasks = Enumerable.Range(1, open).ToList();
        var probe = Workflow.LogProbe.Command(logs, tasks);
        var perLog =
            $"cd '{logs}' && for t in {string.Join(" ", tasks)}; do c=$(grep -E '^[A-Z_]+$' \"$t.log\" | tail -n 1); "
            + "e=$(tail -n 1 \"$t.log\"); echo \"$t|$c|$e\"; done";
        var (ours, theirs) = (new List<(double, double)>(), new List<(double, double)>());
        for (var i = 0; i < FreshProcesses; i++)
        {
            ours.Add(Bash(probe));
            theirs.Add(Bash(perLog));
        }
        var (wall, cpu) = (Median(ours.Select(o => o.Item1)), Median(ours.Select(o => o.Item2)));
        var (wallRef, cpuRef) = (Median(theirs.Select(o => o.Item1)), Median(theirs.Select(o => o.Item2)));
        return string.Create(
            CultureInfo.InvariantCulture,
            $"""

            | Monitor round log read, 1,000 running tasks (100-1,300 lines each) | wall (s) | login node CPU-s | goal |
            |---|---:|---:|---|
            | `ls`, one `grep` and one `awk` for all logs (`LogProbe`) | {wall:0.00} | {cpu:0.00} | < 0.1 CPU-s |
            | reference: a `grep` and a `tail` per log | {wallRef:0.00} | {cpuRef:0.00} | |

            The status command is one more process per round whatever the number of tasks (PBS: one `qstat` per
            array of up to the site's cap).

            """
        );
    }

    /// <summary>
    /// Runs <paramref name="measure"/> once the files earlier rows wrote are on disk: the small-file rows leave over
    /// 100,000 files, and the kernel writing them back made the PBS row's first read 130 ms where it took 80-88 alone.
    /// </summary>
    private static T AfterSync<T>(Func<T> measure)
    {
        TransferBenchmark.Run("sync");
        return measure();
    }

    /// <summary>Wall seconds and the CPU seconds of bash and its children (from <c>times</c>).</summary>
    private static (double Wall, double Cpu) Bash(string command)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add($"{{ {command}; }} > /dev/null; times");
        var clock = Stopwatch.StartNew();
        using var bash = Process.Start(start)!;
        var output = bash.StandardOutput.ReadToEnd();
        bash.WaitForExit();
        var wall = clock.Elapsed.TotalSeconds;
        var cpu = System
            .Text.RegularExpressions.Regex.Matches(output, @"(\d+)m([\d.]+)s")
            .Sum(m =>
                int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) * 60
                + double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture)
            );
        return (wall, cpu);
    }

    /// <summary>In a child process: reads the answer once (timed), then again a few times; prints both times.</summary>
    public static int Once(string kind, string file)
    {
        var scheduler = Enum.Parse<SchedulerKind>(kind).CreateScheduler();
        var status = new CommandResult(0, File.ReadAllText(file), "");
        var clock = Stopwatch.StartNew();
        var tasks = scheduler.ParseStatus(status, Chunks(Enum.Parse<SchedulerKind>(kind)));
        var first = clock.Elapsed.TotalMilliseconds;
        if (tasks.Count != Tasks || tasks.Any(t => t.State == SchedulerTaskState.Unknown))
            throw new InvalidOperationException($"{kind}: read {tasks.Count} tasks, not {Tasks} known ones");
        var warm = new List<double>();
        for (var i = 0; i < WarmRounds; i++)
        {
            clock.Restart();
            scheduler.ParseStatus(status, Chunks(Enum.Parse<SchedulerKind>(kind)));
            warm.Add(clock.Elapsed.TotalMilliseconds);
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{first} {Median(warm)}"));
        return 0;
    }

    private static string Name(SchedulerKind kind) =>
        kind switch
        {
            SchedulerKind.Slurm => "SLURM `squeue -r -h -t all -o '%i\\|%T\\|%r'`",
            SchedulerKind.PbsPro => "PBS Pro `qstat -f -F json -x -t` (framed)",
            _ => "Torque `qstat -t`",
        };

    private static (double First, double Warm) Child(SchedulerKind kind, string file)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true };
        foreach (var argument in new[] { typeof(StatusBenchmark).Assembly.Location, OnceMode, kind.ToString(), file })
            start.ArgumentList.Add(argument);
        using var child = Process.Start(start)!;
        var output = child.StandardOutput.ReadToEnd();
        child.WaitForExit();
        if (child.ExitCode != 0)
            throw new InvalidOperationException($"the status child for {kind} failed: {output}");
        var parts = output.Trim().Split(' ');
        return (
            double.Parse(parts[0], CultureInfo.InvariantCulture),
            double.Parse(parts[1], CultureInfo.InvariantCulture)
        );
    }

    internal static string RepositoryRoot()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "KryptonTemplates.sln")))
            folder = folder.Parent;
        return folder?.FullName
            ?? throw new InvalidOperationException("KryptonTemplates.sln not found above the benchmark");
    }

    private static double Median(IEnumerable<double> values) => values.Order().ElementAt(values.Count() / 2);

    private const string JobId = "700";

    private static IReadOnlyList<SubmittedChunk> Chunks(SchedulerKind kind) =>
        [
            new(
                new ArrayChunk(1, 0, Tasks),
                kind switch
                {
                    SchedulerKind.Slurm => JobId,
                    SchedulerKind.PbsPro => $"{JobId}[].pbshost",
                    _ => $"{JobId}[].localhost",
                }
            ),
        ];

    /// <summary>A status answer for 10,000 tasks, a third running, a third queued, a third ended.</summary>
    private static string Answer(SchedulerKind kind, string pbsRecording)
    {
        var text = new StringBuilder();
        switch (kind)
        {
            case SchedulerKind.Slurm:
                for (var i = 1; i <= Tasks; i++)
                    text.Append(CultureInfo.InvariantCulture, $"{JobId}_{i}|{SlurmStates[i % 3]}\n");
                break;
            case SchedulerKind.Torque:
                text.Append("Job ID                    Name             User            Time Use S Queue\n");
                text.Append("------------------------- ---------------- --------------- -------- - -----\n");
                for (var i = 1; i <= Tasks; i++)
                    text.Append(
                        CultureInfo.InvariantCulture,
                        $"{$"{JobId}[{i}].localhost", -25} {$"tierpsy-{i}", -16} jdoe            00:00:05 "
                            + $"{"RQC"[i % 3]} batch\n"
                    );
                break;
            default:
                text.Append(CultureInfo.InvariantCulture, $"\n{QstatAnswer.SegmentMarker} {JobId}[].pbshost ===\n");
                text.Append(PbsJson(pbsRecording));
                text.Append(CultureInfo.InvariantCulture, $"\n{QstatAnswer.ExitMarker} 0 ===\n");
                break;
        }
        return text.ToString();
    }

    private static readonly string[] SlurmStates = ["RUNNING|None", "PENDING|Resources", "COMPLETED|None"];

    /// <summary>The recorded answer with its array and a running sub-job, that sub-job copied for every task.</summary>
    private static string PbsJson(string recording)
    {
        var recorded = JsonNode.Parse(File.ReadAllText(recording))!;
        var jobs = recorded["Jobs"]!.AsObject();
        var array = jobs.First(j => j.Key.Contains("[]", StringComparison.Ordinal)).Value!;
        var sub = jobs.First(j => j.Value!["job_state"]!.GetValue<string>() == "R").Value!;
        var made = new JsonObject { [$"{JobId}[].pbshost"] = array.DeepClone() };
        for (var i = 1; i <= Tasks; i++)
        {
            var copy = sub.DeepClone();
            copy["job_state"] = "RQF"[i % 3].ToString();
            made[$"{JobId}[{i}].pbshost"] = copy;
        }
        recorded["Jobs"] = made;
        return recorded.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true });
    }
}
