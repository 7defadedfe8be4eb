using Tierpsy.Krypton.Remote;
using Tierpsy.Krypton.TestSupport;
using Tierpsy.Krypton.Workflow;

namespace Tierpsy.Krypton.Tests.Workflow;

/// <summary>Monitor's log read, run by bash over real log files, with the programs it starts counted.</summary>
public class LogProbeTests
{
    /// <summary>
    /// Runs the probe with shims for awk, grep, tail, sed and ls first on PATH: each appends its name to a file, runs
    /// then the real program. Returns the readings and the programs started.
    /// </summary>
    private static async Task<(IReadOnlyDictionary<int, LogReading> Readings, string[] Started)> ProbeAsync(
        TempDirectory logs,
        IEnumerable<int> tasks
    )
    {
        using var bin = new TempDirectory("krypton probe bin");
        var started = Path.Combine(bin.Path, "started.txt");
        foreach (var program in new[] { "awk", "grep", "tail", "sed", "ls" })
        {
            var real = new[] { "/usr/bin", "/bin" }.Select(d => Path.Combine(d, program)).First(File.Exists);
            var shim = bin.Write(program, $"#!/bin/sh\necho {program} >> '{started}'\nexec {real} \"$@\"\n");
            if (!OperatingSystem.IsWindows())
                File.SetUnixFileMode(shim, (UnixFileMode)0b111_101_101);
        }
        var command = $"PATH='{bin.Path}':\"$PATH\"; {LogProbe.Command(logs.Path, tasks)}";
        var result = await new LocalRemote().RunAsync(command, null, TestContext.Current.CancellationToken);
        Assert.True(result.ExitCode == 0, result.All);
        return (LogProbe.Parse(result.Output), File.Exists(started) ? File.ReadAllLines(started) : []);
    }

    [Fact]
    public async Task Each_task_gets_whether_its_log_exists_its_last_checkpoint_and_its_exit_code()
    {
        using var logs = new TempDirectory("krypton probe logs");
        logs.Write("1.log", "# krypton task 1 of 4\nCOMPRESS\nTRAJ_CREATE\n# krypton end 9\n# krypton exit 0\n");
        logs.Write("2.log", "# krypton task 2 of 4\nCOMPRESS\n");
        logs.Write("3.log", "");

        var (readings, _) = await ProbeAsync(logs, [1, 2, 3, 4]);

        Assert.Equal(new LogReading(1, true, "TRAJ_CREATE", 0, End: 9), readings[1]);
        Assert.Equal(new LogReading(2, true, "COMPRESS", null), readings[2]);
        Assert.Equal(new LogReading(3, true, null, null), readings[3]); // started, nothing written yet
        Assert.Equal(new LogReading(4, false, null, null), readings[4]);
    }

    [Fact]
    public async Task A_task_gets_the_start_and_end_times_the_job_script_wrote_into_its_log()
    {
        using var logs = new TempDirectory("krypton probe logs");
        logs.Write(
            "1.log",
            "# krypton task 1 of 2\n# krypton start 100\nCOMPRESS\n# krypton end 160\n# krypton exit 1\n"
        );
        logs.Write("2.log", "# krypton task 2 of 2\n# krypton start 120\nCOMPRESS\n");

        var (readings, _) = await ProbeAsync(logs, [1, 2]);

        Assert.Equal(new LogReading(1, true, "COMPRESS", 1, 100, 160), readings[1]);
        Assert.Equal(new LogReading(2, true, "COMPRESS", null, 120, null), readings[2]); // still running
    }

    [Fact]
    public async Task A_round_over_a_thousand_logs_starts_three_programs()
    {
        using var logs = new TempDirectory("krypton probe logs");
        for (var t = 1; t <= 1000; t++)
            logs.Write($"{t}.log", $"# krypton task {t} of 1000\nCOMPRESS\nSKE_INIT\n");

        var (readings, started) = await ProbeAsync(logs, Enumerable.Range(1, 1000));

        Assert.Equal(1000, readings.Count);
        Assert.All(readings.Values, r => Assert.Equal("SKE_INIT", r.Checkpoint));
        Assert.Equal(["awk", "grep", "ls"], started.Order(StringComparer.Ordinal));
    }
}
