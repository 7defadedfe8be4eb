using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Tierpsy.Krypton.Targets;
using Tierpsy.Krypton.Workflow;

namespace Tierpsy.Krypton.Benchmarks;

/// <summary>
/// Times Stage and Retrieve against rsync -e ssh on the same loopback sshd, in the same run: 1 GiB in 50 files up
/// and down, and a no-op re-Stage of 10,000 small files. Each case runs five times, alternating with rsync; the table shows the medians
/// and the ratio ours/rsync (below 1 is faster than rsync). Needs the test cluster (tests/…/cluster/up.sh).
/// </summary>
internal static class TransferBenchmark
{
    private sealed class BenchBuild : TierpsyBuild;

    private static readonly string Cluster = Environment.GetEnvironmentVariable("KRYPTON_TEST_CLUSTER") is { Length: > 0 } c ? c : "/tmp/krypton-test-cluster";
    private static readonly int Port = int.TryParse(Environment.GetEnvironmentVariable("KRYPTON_TEST_SSH_PORT"), out var p) ? p : 2222;
    /// <summary>KRYPTON_BENCH_VERBOSE=1 prints each run's log with its phase times.</summary>
    private static readonly bool Verbose = Environment.GetEnvironmentVariable("KRYPTON_BENCH_VERBOSE") == "1";
    private static string Key => Path.Combine(Cluster, "ssh", "client_ed25519");
    private static string KnownHosts => Path.Combine(Cluster, "ssh", "known_hosts");

    public static int Main(string[] args)
    {
        var output = args.Length > 0 ? args[0] : "docs/benchmarks.md";
        if (!File.Exists(Key))
        {
            Console.Error.WriteLine($"error: no test cluster ({Key} is missing). Start it with tests/Tierpsy.Krypton.IntegrationTests/cluster/up.sh, then run the benchmark again.");
            return 2;
        }
        var work = Path.Combine(Path.GetTempPath(), $"krypton-bench-{Guid.NewGuid():N}"[..25]);
        var remote = Path.Combine(Cluster, "jobs", Path.GetFileName(work));
        try
        {
            var rows = new List<(string Case, Timing Ours, Timing Rsync)>();
            void Row(string name, Func<Timing> ours, Func<Timing> rsync)
            {
                var (a, b) = Alternating(ours, rsync);
                rows.Add((name, a, b));
            }
            var big = Path.Combine(work, "big", "20210504");
            MakeFiles(big, 50, 1L << 30);
            Row("Stage 1 GiB in 50 files", () => Stage(work, remote, big, fresh: true), () => Rsync(big + "/", $"{remote}/rsync-up/", fresh: true));
            Row("Floor: SSH.NET SFTP upload alone of the same 1 GiB (4 files at once over one session, AES-GCM, nothing checked)", () => SftpOnly(big, $"{remote}/sftp-up"), () => Rsync(big + "/", $"{remote}/rsync-up/", fresh: true));
            CopyTree(big, Path.Combine(remote, "results-src", "Results", "20210504"));
            Row("Retrieve 1 GiB in 50 files", () => Retrieve(work, Path.Combine(remote, "results-src")), () => RsyncDown($"{remote}/results-src/Results/", Path.Combine(work, "rsync-down")));
            var small = Path.Combine(work, "small", "20210505");
            MakeFiles(small, 10_000, 10_000L * 1024);
            rows.Add(("First Stage of 10,000 small files (one run)", Stage(work, remote, small, fresh: true), Rsync(small + "/", $"{remote}/rsync-small/", fresh: true)));
            Row("No-op re-Stage of 10,000 small files", () => Stage(work, remote, small, fresh: false), () => Rsync(small + "/", $"{remote}/rsync-small/", fresh: false));
            var report = Report(rows);
            Console.WriteLine(report);
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
            File.WriteAllText(output, report);
            return 0;
        }
        finally
        {
            foreach (var folder in new[] { work, remote })
                try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
        }
    }

    /// <summary>How many times each case runs; the table shows the run of median time.</summary>
    private const int Runs = 5;

    /// <summary>
    /// Ours and rsync's runs alternate, so both meet the machine in the same state (its speed drifts by a quarter
    /// and more within minutes); each side's run of median time is kept.
    /// </summary>
    private static (Timing Ours, Timing Rsync) Alternating(Func<Timing> ours, Func<Timing> rsync)
    {
        var (a, b) = (new List<Timing>(), new List<Timing>());
        for (var i = 0; i < Runs; i++)
        {
            a.Add(ours());
            b.Add(rsync());
        }
        static Timing Median(List<Timing> runs) => runs.OrderBy(r => r.Seconds).ElementAt(runs.Count / 2);
        return (Median(a), Median(b));
    }

    /// <summary>
    /// Wall time, and the CPU time the whole machine spent meanwhile (/proc/stat: both ends of the copy, every process),
    /// which is what decides the wall time when both ends share the same cores.
    /// </summary>
    private readonly record struct Timing(double Seconds, double? CpuSeconds);

    private static void MakeFiles(string folder, int count, long total)
    {
        var random = new Random(1);
        var buffer = new byte[total / count];
        for (var i = 0; i < count; i++)
        {
            var file = Path.Combine(folder, $"cam{i / 100:000}", $"{i:00000}.bin");
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            random.NextBytes(buffer);
            File.WriteAllBytes(file, buffer);
        }
    }

    private static void CopyTree(string from, string to)
    {
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target, overwrite: true);
        }
    }

    /// <summary>One Stage run in a fresh project (fresh: nothing on the cluster yet) or the same one again.</summary>
    private static Timing Stage(string work, string remote, string source, bool fresh)
    {
        var project = Path.Combine(work, "project-" + Path.GetFileName(source));
        var root = Path.Combine(remote, "stage-" + Path.GetFileName(source));
        if (fresh)
        {
            if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
            if (Directory.Exists(project)) Directory.Delete(project, recursive: true);
        }
        WriteParameters(project, root);
        return Time(() => Build(project, "Stage", "--source", source));
    }

    /// <summary>Only SSH.NET's own SFTP upload, four files at once over one session as Stage copies them, no checks: what any SSH.NET-based copy costs here.</summary>
    private static Timing SftpOnly(string source, string target)
    {
        var key = new Renci.SshNet.PrivateKeyFile(Key);
        Renci.SshNet.ConnectionInfo Info()
        {
            // The cipher Stage negotiates (SshRemote offers AES-GCM first), so the floor compares like with like.
            var info = new Renci.SshNet.ConnectionInfo("127.0.0.1", Port, "root", new Renci.SshNet.PrivateKeyAuthenticationMethod("root", key));
            foreach (var name in info.Encryptions.Keys.Where(k => k != "aes128-gcm@openssh.com").ToList()) info.Encryptions.Remove(name);
            return info;
        }
        var clients = new List<Renci.SshNet.SftpClient> { new(Info()) { BufferSize = 128 * 1024 } };
        try
        {
            var known = File.ReadAllText(KnownHosts);
            foreach (var client in clients)
            {
                client.HostKeyReceived += (_, e) => e.CanTrust = known.Contains(Convert.ToBase64String(e.HostKey), StringComparison.Ordinal);
                client.Connect();
            }
            var files = Directory.GetFiles(source, "*", SearchOption.AllDirectories);
            Directory.CreateDirectory(target); // the test cluster is this machine
            return Time(() => Parallel.ForEach(files, new ParallelOptions { MaxDegreeOfParallelism = 4 }, (file, _, i) =>
            {
                using var stream = File.OpenRead(file);
                clients[0].UploadFile(stream, $"{target}/{i}.bin", canOverride: true);
            }));
        }
        finally
        {
            foreach (var client in clients) client.Dispose();
            if (Directory.Exists(target)) Directory.Delete(target, recursive: true);
        }
    }

    private static Timing Retrieve(string work, string remoteRoot)
    {
        var project = Path.Combine(work, "project-retrieve");
        if (Directory.Exists(project)) Directory.Delete(project, recursive: true);
        WriteParameters(project, remoteRoot);
        return Time(() => Build(project, "Retrieve", "--skip"));
    }

    private static void WriteParameters(string project, string remoteRoot)
    {
        Directory.CreateDirectory(Path.Combine(project, ".krypton"));
        File.WriteAllText(Path.Combine(project, ".krypton", "parameters.json"), JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["Host"] = "127.0.0.1", ["Port"] = Port, ["User"] = "root", ["IdentityFile"] = new[] { Key },
            ["KnownHostsFile"] = KnownHosts, ["RemoteRoot"] = remoteRoot, ["Scheduler"] = "slurm",
        }));
    }

    private static void Build(string project, params string[] args)
    {
        var log = new StringWriter();
        var exit = BuildRunner.RunAsync(new BenchBuild(), new BuildInvocation
        {
            Arguments = [.. args, "--verbosity", Verbose ? "verbose" : "quiet"],
            Environment = new Dictionary<string, string>(),
            WorkingDirectory = project,
            Output = log,
            Error = log,
        }, []).GetAwaiter().GetResult();
        if (exit != 0) throw new InvalidOperationException($"{string.Join(" ", args)} failed:\n{log}");
        if (Verbose) Console.Error.WriteLine(log);
    }

    private static string Ssh => $"ssh -p {Port} -i {Key} -o IdentitiesOnly=yes -o BatchMode=yes -o UserKnownHostsFile={KnownHosts} -o StrictHostKeyChecking=yes";

    private static Timing Rsync(string from, string to, bool fresh)
    {
        if (fresh && Directory.Exists(to)) Directory.Delete(to, recursive: true);
        return Time(() => Run("rsync", "-a", "-e", Ssh, from, $"root@127.0.0.1:{to}"));
    }

    private static Timing RsyncDown(string from, string to)
    {
        if (Directory.Exists(to)) Directory.Delete(to, recursive: true);
        return Time(() => Run("rsync", "-a", "-e", Ssh, $"root@127.0.0.1:{from}", to + "/"));
    }

    private static void Run(string program, params string[] args)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{program} failed: {error.Result}");
    }

    private static Timing Time(Action action)
    {
        // Dirty pages of the previous run would otherwise be written back during this one and bill it.
        Run("sync");
        var busy = BusyCpuSeconds();
        var watch = Stopwatch.StartNew();
        action();
        var seconds = watch.Elapsed.TotalSeconds;
        return new Timing(seconds, BusyCpuSeconds() - busy);
    }

    /// <summary>CPU time the machine has spent busy since boot (all cores, user and system), where /proc/stat says it.</summary>
    private static double? BusyCpuSeconds()
    {
        if (!File.Exists("/proc/stat")) return null;
        // cpu  user nice system idle iowait irq softirq steal ..., in clock ticks (USER_HZ, 100 on Linux)
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(long.Parse).ToArray();
        return (fields[0] + fields[1] + fields[2] + fields[5] + fields[6] + fields[7]) / 100.0;
    }

    private static string Report(List<(string Case, Timing Ours, Timing Rsync)> rows)
    {
        var text = new StringBuilder();
        text.AppendLine("# Transfer benchmarks");
        text.AppendLine();
        text.AppendLine("Produced by `./build.sh Benchmark` (the test cluster must be up: `tests/Tierpsy.Krypton.IntegrationTests/cluster/up.sh`).");
        text.AppendLine("Stage and Retrieve run in-process over SSH.NET: Stage copies 4 files at once over one SFTP session, Retrieve");
        text.AppendLine(string.Create(CultureInfo.InvariantCulture, $"downloads at most one file per two cores of this computer at once (here {Transfer.Downloader.AtOnce(4, Environment.ProcessorCount)}). Both compute SHA-256 on both sides, while the bytes move where they can,"));
        text.AppendLine("and give no file its name before the two agree. rsync runs as `rsync -a -e ssh` against the same loopback sshd in the same run.");
        text.AppendLine($"Each time is the median of {Runs} runs, ours and rsync's alternating (so both meet the machine in the same state), each");
        text.AppendLine("started after `sync`; the ratio is ours / rsync (below 1: faster than rsync).");
        text.AppendLine("CPU-s is the CPU time the whole machine spent during that run (/proc/stat: both ends of the copy, every process).");
        text.AppendLine();
        text.AppendLine(string.Create(CultureInfo.InvariantCulture, $"Machine: {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}; run {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC."));
        text.AppendLine();
        text.AppendLine("| case | Tierpsy.Krypton (s) | rsync -e ssh (s) | ratio | CPU-s: ours / rsync |");
        text.AppendLine("|---|---:|---:|---:|---:|");
        static string Cpu(Timing run) => run.CpuSeconds is { } cpu ? cpu.ToString("0.0", CultureInfo.InvariantCulture) : "n/a";
        foreach (var (name, ours, rsync) in rows)
            text.AppendLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | {ours.Seconds:0.00} | {rsync.Seconds:0.00} | {ours.Seconds / rsync.Seconds:0.00} | {Cpu(ours)} / {Cpu(rsync)} |"));
        text.AppendLine();
        text.AppendLine("Where the time goes (`KRYPTON_BENCH_VERBOSE=1 ./build.sh Benchmark` prints each run's phases): both ends share the");
        text.AppendLine("same cores here, so the wall time follows the CPU time. The floor row is the copy alone (SSH.NET's upload, nothing");
        text.AppendLine("checked): about what rsync costs. Stage and Retrieve add work rsync does not do: SHA-256 of every byte on the cluster");
        text.AppendLine("(`openssl dgst`, 1.0-1.4 CPU-s per GiB here) and on this side (about 0.7 CPU-s per GiB), where rsync checks with its");
        text.AppendLine("far cheaper xxh128, and the processes that verify on the cluster (starting one costs 5-17 ms of CPU here). On a real");
        text.AppendLine("cluster that hashing runs on the login node, not on the computer that copies, and over a real link (1 Gbit/s moves");
        text.AppendLine("1 GiB in about 9 s) the wire is the bottleneck.");
        return text.ToString();
    }
}
