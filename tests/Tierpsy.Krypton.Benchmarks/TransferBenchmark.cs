using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Tierpsy.Krypton.Targets;
using Tierpsy.Krypton.Workflow;

namespace Tierpsy.Krypton.Benchmarks;

/// <summary>
/// Times Stage and Retrieve against rsync -e ssh on the same loopback sshd, in the same run: 1 GiB in 50 files up
/// and down, Stage of 200 MiB through a delaying proxy (a distant cluster), and a no-op re-Stage of 10,000 small files.
/// Each case runs <see cref="Runs"/> times, alternating with rsync; the
/// table shows the medians and the ratio ours/rsync as the median of the paired runs (below 1 is faster than rsync).
/// Needs the test cluster (tests/…/cluster/up.sh).
/// </summary>
internal static class TransferBenchmark
{
    private sealed class BenchBuild : TierpsyBuild;

    internal static readonly string Cluster = Environment.GetEnvironmentVariable("KRYPTON_TEST_CLUSTER")
        is { Length: > 0 } c
        ? c
        : "/tmp/krypton-test-cluster";
    internal static readonly int Port = int.TryParse(
        Environment.GetEnvironmentVariable("KRYPTON_TEST_SSH_PORT"),
        out var p
    )
        ? p
        : 2222;

    /// <summary>
    /// KRYPTON_BENCH_ONLY=&lt;text&gt; runs only the rows whose case contains the text and prints their table without
    /// writing docs/benchmarks.md (to look into one row).
    /// </summary>
    private static readonly string? Only = Environment.GetEnvironmentVariable("KRYPTON_BENCH_ONLY");

    internal static bool Wanted(string row) => Only is null || row.Contains(Only, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// KRYPTON_BENCH_RUNS=&lt;n&gt; runs each row n times instead of <see cref="Runs"/> and, as KRYPTON_BENCH_ONLY,
    /// prints the table without writing docs/benchmarks.md (a quick look while changing something).
    /// </summary>
    private static readonly int? RunsAsked =
        int.TryParse(Environment.GetEnvironmentVariable("KRYPTON_BENCH_RUNS"), out var n) && n > 0 ? n : null;

    /// <summary>Whether this run writes docs/benchmarks.md: every row, each run as many times as it should.</summary>
    private static bool Complete => Only is null && RunsAsked is null;

    /// <summary>KRYPTON_BENCH_VERBOSE=1 prints each run's log with its phase times.</summary>
    internal static readonly bool Verbose = Environment.GetEnvironmentVariable("KRYPTON_BENCH_VERBOSE") == "1";
    internal static string Key => Path.Combine(Cluster, "ssh", "client_ed25519");
    internal static string KnownHosts => Path.Combine(Cluster, "ssh", "known_hosts");

    /// <summary>Where Stage, Retrieve and rsync connect: the sshd itself, or a proxy in front of it.</summary>
    internal sealed record Link(int Port, string KnownHosts);

    internal static readonly Link Direct = new(Port, KnownHosts);

    public static int Main(string[] args)
    {
        if (args is [ProxyMode, var rtt])
            return RunProxy(double.Parse(rtt, CultureInfo.InvariantCulture));
        if (args is [StatusBenchmark.OnceMode, var kind, var file])
            return StatusBenchmark.Once(kind, file);
        if (args is [FaultMode, var faults])
            return FaultBenchmark.Run(faults, Cluster, Port);
        var output = args.Length > 0 ? args[0] : "docs/benchmarks.md";
        if (!File.Exists(Key))
        {
            Console.Error.WriteLine(
                $"error: no test cluster ({Key} is missing). Start it with "
                    + $"tests/Tierpsy.Krypton.IntegrationTests/cluster/up.sh, then run the benchmark again."
            );
            return 2;
        }
        var work = Path.Combine(Path.GetTempPath(), $"krypton-bench-{Guid.NewGuid():N}"[..25]);
        var remote = Path.Combine(Cluster, "jobs", Path.GetFileName(work));
        try
        {
            var rows = new List<Row>();
            void Row(string name, Func<Timing> ours, Func<Timing> rsync)
            {
                if (Wanted(name))
                    rows.Add(Alternating(name, ours, rsync, RunsAsked ?? Runs));
            }
            var big = Path.Combine(work, "big", "20210504");
            string[] bigRows =
            [
                "Stage 1 GiB in 50 files",
                "Floor: SSH.NET SFTP upload alone of the same 1 GiB (4 files at once over one session, paced as Stage "
                    + "paces them, AES-GCM, 4 MiB TCP buffers, nothing checked)",
                "Retrieve 1 GiB in 50 files",
                "Floor: SSH.NET SFTP download alone of the same 1 GiB (one file at a time, AES-GCM, 4 MiB TCP "
                    + "buffers, nothing checked)",
            ];
            if (bigRows.Any(Wanted))
                MakeFiles(big, 50, 1L << 30);
            Row(
                bigRows[0],
                () => Stage(work, remote, big, fresh: true),
                () => Rsync(big + "/", $"{remote}/rsync-up/", fresh: true)
            );
            Row(
                bigRows[1],
                () => SftpUploadOnly(big, $"{remote}/sftp-up"),
                () => Rsync(big + "/", $"{remote}/rsync-up/", fresh: true)
            );
            var results = Path.Combine(remote, "results-src", "Results", "20210504");
            if (bigRows[2..].Any(Wanted))
                CopyTree(big, results);
            Row(
                bigRows[2],
                () => Retrieve(work, Path.Combine(remote, "results-src")),
                () => RsyncDown($"{remote}/results-src/Results/", Path.Combine(work, "rsync-down"))
            );
            Row(
                bigRows[3],
                () => SftpDownloadOnly(results, Path.Combine(work, "sftp-down")),
                () => RsyncDown($"{remote}/results-src/Results/", Path.Combine(work, "rsync-down"))
            );
            var far = Path.Combine(work, "far", "20210506");
            var farRows = FarRoundTripsMs.ToDictionary(rt => rt, FarRows);
            if (farRows.Values.Any(r => r.Any(Wanted)))
                MakeFiles(far, 10, 200L << 20);
            var farResults = Path.Combine(remote, "far-results", "Results", "20210506");
            if (farRows.Values.Any(r => Wanted(r[2])))
                CopyTree(far, farResults);
            foreach (var (roundTrip, names) in farRows.Where(r => r.Value.Any(Wanted)))
                using (var proxy = DistantCluster.Start(work, roundTrip))
                {
                    var link = proxy.Link;
                    Row(
                        names[0],
                        () => Stage(work, remote, far, fresh: true, link),
                        () => Rsync(far + "/", $"{remote}/rsync-far/", fresh: true, link)
                    );
                    Row(
                        names[1],
                        () => SftpUploadOnly(far, $"{remote}/sftp-far", link),
                        () => Rsync(far + "/", $"{remote}/rsync-far/", fresh: true, link)
                    );
                    Row(
                        names[2],
                        () => Retrieve(work, Path.Combine(remote, "far-results"), link),
                        () => RsyncDown($"{remote}/far-results/Results/", Path.Combine(work, "rsync-down-far"), link)
                    );
                }
            var small = Path.Combine(work, "small", "20210505");
            const string stageSmall = "First Stage of 10,000 small files (1 KiB each, in 100 folders)";
            const string restageSmall = "No-op re-Stage of 10,000 small files";
            const string retrieveSmall = "Retrieve of 10,000 small files (1 KiB each, in 100 folders)";
            if (new[] { stageSmall, restageSmall, retrieveSmall }.Any(Wanted))
                MakeFiles(small, 10_000, 10_000L * 1024);
            Row(
                stageSmall,
                () => Stage(work, remote, small, fresh: true),
                () => Rsync(small + "/", $"{remote}/rsync-small/", fresh: true)
            );
            Row(
                restageSmall,
                () => Stage(work, remote, small, fresh: false),
                () => Rsync(small + "/", $"{remote}/rsync-small/", fresh: false)
            );
            var smallResults = Path.Combine(remote, "small-results", "Results", "20210505");
            if (Wanted(retrieveSmall))
                CopyTree(small, smallResults);
            Row(
                retrieveSmall,
                () => Retrieve(work, Path.Combine(remote, "small-results")),
                () => RsyncDown($"{remote}/small-results/Results/", Path.Combine(work, "rsync-down-small"))
            );
            var report =
                Report(rows)
                + (Wanted("status") ? StatusBenchmark.Run(Path.Combine(work, "status")) : "")
                + (Wanted("short tasks") ? ShortTasksBenchmark.Run(work, remote) : "")
                + (Wanted("start-up") ? StartUpBenchmark.Run(Path.Combine(work, "startup")) : "")
                + (Wanted(ReportBenchmark.Name) ? ReportBenchmark.Run(Path.Combine(work, "startup")) : "");
            Console.WriteLine(report);
            if (!Complete)
                return 0;
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
            File.WriteAllText(output, report + KeptSections(output));
            return 0;
        }
        finally
        {
            foreach (var folder in new[] { work, remote })
                try
                {
                    Directory.Delete(folder, recursive: true);
                }
                catch (IOException) { }
        }
    }

    /// <summary>The first argument that runs <see cref="FaultBenchmark"/> instead.</summary>
    internal const string FaultMode = "faults";

    /// <summary>How many times each case runs; the table shows the run of median time.</summary>
    internal const int Runs = 7;

    /// <summary>
    /// One line of the table: each side's run of median time, and the ratio ours / rsync of each pair of runs.
    /// </summary>
    internal sealed record Row(string Case, Timing Ours, Timing Rsync, IReadOnlyList<double> Ratios)
    {
        /// <summary>The median of the pairs' ratios.</summary>
        public double Ratio => Ratios.Order().ElementAt(Ratios.Count / 2);
    }

    /// <summary>
    /// Ours and rsync's runs alternate, so both meet the machine in the same state (its speed drifts by a quarter
    /// and more within minutes); each side's run of median time is kept, and each run of ours is divided by the
    /// rsync run beside it, so the drift cancels out of the ratio. Which of the two goes first changes from pair to
    /// pair: in earlier tables the run right after ours was slower than the same rsync elsewhere in the run.
    /// </summary>
    internal static Row Alternating(string name, Func<Timing> ours, Func<Timing> rsync, int runs = Runs)
    {
        var (a, b) = (new List<Timing>(), new List<Timing>());
        for (var i = 0; i < runs; i++)
        {
            if (i % 2 == 0)
            {
                a.Add(ours());
                b.Add(rsync());
            }
            else
            {
                b.Add(rsync());
                a.Add(ours());
            }
        }
        static Timing Median(List<Timing> runs) => runs.OrderBy(r => r.Seconds).ElementAt(runs.Count / 2);
        return new Row(name, Median(a), Median(b), [.. a.Zip(b, (x, y) => x.Seconds / y.Seconds)]);
    }

    /// <summary>
    /// Wall time, and the CPU time the whole machine spent meanwhile (/proc/stat: both ends of the copy, every
    /// process),
    /// which is what decides the wall time when both ends share the same cores.
    /// </summary>
    internal readonly record struct Timing(double Seconds, double? CpuSeconds);

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

    /// <summary>Folders with more files than this are moved aside by <see cref="Clear"/> instead of deleted.</summary>
    private const int ManyFiles = 1000;

    /// <summary>
    /// Clears the way for a run: deletes <paramref name="folder"/>, or moves it aside when it holds many files, to be
    /// deleted with the rest when the benchmark ends. This machine's ext4 has no journal, and such a file system
    /// looks up every inode freed in the last minute (five when its block is not written yet) and skips it whenever
    /// it creates a file (fs/ext4/ialloc.c, find_inode_bit and recently_deleted). Once the previous run's 10,000
    /// files had been deleted, creating 10,000 files of 1 KiB took 2-6 s of kernel CPU instead of 0.3 s, for
    /// whichever tool ran next.
    /// </summary>
    private static void Clear(string folder)
    {
        folder = folder.TrimEnd('/');
        if (!Directory.Exists(folder))
            return;
        if (Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Take(ManyFiles + 1).Count() <= ManyFiles)
            Directory.Delete(folder, recursive: true);
        else
            Directory.Move(folder, Path.Combine(Path.GetDirectoryName(folder)!, $".cleared-{Guid.NewGuid():N}"));
    }

    /// <summary>One Stage run in a fresh project (fresh: nothing on the cluster yet) or the same one again.</summary>
    private static Timing Stage(string work, string remote, string source, bool fresh, Link? link = null)
    {
        var project = Path.Combine(work, "project-" + Path.GetFileName(source));
        var root = Path.Combine(remote, "stage-" + Path.GetFileName(source));
        if (fresh)
        {
            Clear(root);
            Clear(project);
        }
        WriteParameters(project, root, link ?? Direct);
        return Time(() => Build(project, "Stage", "--source", source));
    }

    /// <summary>
    /// Only SSH.NET's own SFTP upload, four files at once over one session as Stage copies them, with as many bytes on
    /// the way as Stage allows (<see cref="Remote.InFlightLimit"/>), no checks: what any SSH.NET-based upload costs
    /// here.
    /// </summary>
    private static Timing SftpUploadOnly(string source, string target, Link? link = null)
    {
        var files = Directory.GetFiles(source, "*", SearchOption.AllDirectories);
        Directory.CreateDirectory(target); // the test cluster is this machine
        try
        {
            return SftpOnly(link ?? Direct, client =>
            {
                var limit = new Remote.InFlightLimit(TimeProvider.System);
                Parallel
                    .ForEachAsync(files.Index(), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (file, ct) =>
                    {
                        await using var stream = File.OpenRead(file.Item);
                        await limit.UploadAsync(client, stream, $"{target}/{file.Index}.bin", ct);
                    })
                    .GetAwaiter()
                    .GetResult();
            });
        }
        finally
        {
            Directory.Delete(target, recursive: true);
        }
    }

    /// <summary>
    /// Only SSH.NET's own SFTP download, one file at a time as Retrieve copies them here, no checks: what any
    /// SSH.NET-based download costs here.
    /// </summary>
    private static Timing SftpDownloadOnly(string source, string target)
    {
        var files = Directory.GetFiles(source, "*", SearchOption.AllDirectories);
        Directory.CreateDirectory(target);
        try
        {
            return SftpOnly(Direct, client =>
            {
                foreach (var file in files)
                {
                    using var stream = File.Create(Path.Combine(target, Path.GetFileName(file)));
                    client.DownloadFile(file, stream);
                }
            });
        }
        finally
        {
            Directory.Delete(target, recursive: true);
        }
    }

    /// <summary>Times <paramref name="copy"/> over one SFTP session, connected before the clock starts.</summary>
    private static Timing SftpOnly(Link link, Action<Renci.SshNet.SftpClient> copy)
    {
        // The cipher Stage and Retrieve negotiate (SshRemote offers AES-GCM first), so the floor compares like with
        // like.
        var info = new Renci.SshNet.ConnectionInfo(
            "127.0.0.1",
            link.Port,
            "root",
            new Renci.SshNet.PrivateKeyAuthenticationMethod("root", new Renci.SshNet.PrivateKeyFile(Key))
        );
        foreach (var name in info.Encryptions.Keys.Where(k => k != "aes128-gcm@openssh.com").ToList())
            info.Encryptions.Remove(name);
        using var client = new Renci.SshNet.SftpClient(info) { BufferSize = 128 * 1024 };
        var known = File.ReadAllText(link.KnownHosts);
        client.HostKeyReceived += (_, e) =>
            e.CanTrust = known.Contains(Convert.ToBase64String(e.HostKey), StringComparison.Ordinal);
        client.Connect();
        Remote.SocketBuffers.Enlarge(client); // as every connection of Stage and Retrieve
        return Time(() => copy(client));
    }

    private static Timing Retrieve(string work, string remoteRoot, Link? link = null)
    {
        var project = Path.Combine(work, "project-retrieve");
        Clear(project);
        WriteParameters(project, remoteRoot, link ?? Direct);
        return Time(() => Build(project, "Retrieve", "--skip"));
    }

    /// <summary>
    /// The project's <c>.krypton/parameters.json</c>: the test cluster's SLURM through <paramref name="link"/> as root
    /// with <paramref name="key"/> (default <see cref="Key"/>), and <paramref name="more"/> parameters.
    /// </summary>
    internal static void WriteParameters(
        string project,
        string remoteRoot,
        Link link,
        string? key = null,
        IReadOnlyDictionary<string, object>? more = null
    )
    {
        var parameters = new Dictionary<string, object>
        {
            ["Host"] = "127.0.0.1",
            ["Port"] = link.Port,
            ["User"] = "root",
            ["IdentityFile"] = new[] { key ?? Key },
            ["KnownHostsFile"] = link.KnownHosts,
            ["RemoteRoot"] = remoteRoot,
            ["Scheduler"] = "slurm",
        };
        foreach (var (name, value) in more ?? new Dictionary<string, object>())
            parameters[name] = value;
        Directory.CreateDirectory(Path.Combine(project, ".krypton"));
        File.WriteAllText(Path.Combine(project, ".krypton", "parameters.json"), JsonSerializer.Serialize(parameters));
    }

    internal static void Build(string project, params string[] args)
    {
        var log = new StringWriter();
        var exit = BuildRunner
            .RunAsync(
                new BenchBuild(),
                new BuildInvocation
                {
                    Arguments = [.. args, "--verbosity", Verbose ? "verbose" : "quiet"],
                    Environment = new Dictionary<string, string>(),
                    WorkingDirectory = project,
                    Output = log,
                    Error = log,
                },
                []
            )
            .GetAwaiter()
            .GetResult();
        if (exit != 0)
            throw new InvalidOperationException($"{string.Join(" ", args)} failed:\n{log}");
        if (Verbose)
            Console.Error.WriteLine(log);
    }

    /// <summary>The options of each ssh the benchmark runs to the test cluster (rsync's, plain sbatch's).</summary>
    internal static string[] SshArguments(Link link) =>
        [
            "-p",
            link.Port.ToString(CultureInfo.InvariantCulture),
            "-i",
            Key,
            "-o",
            "IdentitiesOnly=yes",
            "-o",
            "BatchMode=yes",
            "-o",
            $"UserKnownHostsFile={link.KnownHosts}",
            "-o",
            "StrictHostKeyChecking=yes",
        ];

    /// <summary>The ssh command rsync runs (its -e), with <see cref="SshArguments"/>.</summary>
    private static string Ssh(Link link) => string.Join(" ", ["ssh", .. SshArguments(link)]);

    private static Timing Rsync(string from, string to, bool fresh, Link? link = null)
    {
        if (fresh)
            Clear(to);
        return Time(() => Run("rsync", "-a", "-e", Ssh(link ?? Direct), from, $"root@127.0.0.1:{to}"));
    }

    private static Timing RsyncDown(string from, string to, Link? link = null)
    {
        Clear(to);
        return Time(() => Run("rsync", "-a", "-e", Ssh(link ?? Direct), $"root@127.0.0.1:{from}", to + "/"));
    }

    /// <summary>The round trips of the distant-cluster rows: a cluster at another site, or over a VPN.</summary>
    private static readonly int[] FarRoundTripsMs = [10, 50];

    /// <summary>The rows of one round trip: Stage, the upload floor, Retrieve.</summary>
    private static string[] FarRows(int roundTrip) =>
        [
            $"Stage 200 MiB in 10 files through a {roundTrip} ms round trip (a delaying proxy)",
            $"Floor: SSH.NET SFTP upload alone of the same 200 MiB through the {roundTrip} ms round trip "
                + "(paced as Stage paces them, connected before the clock starts, nothing checked)",
            $"Retrieve 200 MiB in 10 files through a {roundTrip} ms round trip",
        ];

    private const string ProxyMode = "--delaying-proxy";

    /// <summary>
    /// Proxy mode: forwards a free port to the test sshd with <paramref name="roundTripMs"/> of delay, prints the port,
    /// runs until stdin closes.
    /// </summary>
    private static int RunProxy(double roundTripMs)
    {
        var proxy = new TestSupport.DelayingProxy(Port, TimeSpan.FromMilliseconds(roundTripMs));
        Console.WriteLine(proxy.Port.ToString(CultureInfo.InvariantCulture));
        Console.Out.Flush();
        Console.In.ReadToEnd();
        proxy.DisposeAsync().AsTask().GetAwaiter().GetResult();
        return 0;
    }

    /// <summary>
    /// The delaying proxy in a process of its own (in this one it would share the thread pool with the Stage it
    /// measures), with a known_hosts that names its port.
    /// </summary>
    private sealed class DistantCluster(Process process, Link link) : IDisposable
    {
        public Link Link { get; } = link;

        public static DistantCluster Start(string work, int roundTripMs)
        {
            var self = Environment.ProcessPath!;
            var start = new ProcessStartInfo(self) { RedirectStandardInput = true, RedirectStandardOutput = true };
            if (Path.GetFileNameWithoutExtension(self) == "dotnet")
                start.ArgumentList.Add(typeof(TransferBenchmark).Assembly.Location);
            start.ArgumentList.Add(ProxyMode);
            start.ArgumentList.Add(roundTripMs.ToString(CultureInfo.InvariantCulture));
            var process = Process.Start(start)!;
            var port = int.Parse(
                process.StandardOutput.ReadLine()
                    ?? throw new InvalidOperationException("the delaying proxy did not start"),
                CultureInfo.InvariantCulture
            );
            var knownHosts = Path.Combine(work, "known_hosts_far");
            File.WriteAllText(
                knownHosts,
                File.ReadAllText(KnownHosts)
                    .Replace($"[127.0.0.1]:{Port}", $"[127.0.0.1]:{port}", StringComparison.Ordinal)
            );
            return new DistantCluster(process, new Link(port, knownHosts));
        }

        public void Dispose()
        {
            process.StandardInput.Close();
            if (!process.WaitForExit(TimeSpan.FromSeconds(10)))
                process.Kill();
            process.Dispose();
        }
    }

    internal static void Run(string program, params string[] args)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in args)
            start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{program} failed: {error.Result}");
    }

    internal static Timing Time(Action action)
    {
        // Dirty pages of the previous run would otherwise be written back during this one and bill it.
        Run("sync");
        var busy = BusyCpuSeconds();
        var watch = Stopwatch.StartNew();
        action();
        var seconds = watch.Elapsed.TotalSeconds;
        return new Timing(seconds, BusyCpuSeconds() - busy);
    }

    /// <summary>
    /// CPU time the machine has spent busy since boot (all cores, user and system), where /proc/stat says it.
    /// </summary>
    private static double? BusyCpuSeconds()
    {
        if (!File.Exists("/proc/stat"))
            return null;
        // cpu  user nice system idle iowait irq softirq steal ..., in clock ticks (USER_HZ, 100 on Linux)
        var fields = File.ReadLines("/proc/stat")
            .First()
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Skip(1)
            .Select(long.Parse)
            .ToArray();
        return (fields[0] + fields[1] + fields[2] + fields[5] + fields[6] + fields[7]) / 100.0;
    }

    /// <summary>
    /// The headings from which the file is written by hand: what the last committed run left unmet, and the numbers
    /// behind choices in the code. The first found begins the hand-written part.
    /// </summary>
    private static readonly string[] HandWritten = ["## Goals this machine's runs", "## Design measurements"];

    /// <summary>
    /// The hand-written sections of the existing report (from the first of <see cref="HandWritten"/> on), which a new
    /// run keeps after its tables.
    /// </summary>
    private static string KeptSections(string output)
    {
        var existing = File.Exists(output) ? File.ReadAllText(output) : "";
        var from = HandWritten
            .Select(h => existing.IndexOf(h, StringComparison.Ordinal))
            .Where(i => i >= 0)
            .DefaultIfEmpty(-1)
            .Min();
        return from < 0 ? "" : "\n" + existing[from..];
    }

    private static string Report(List<Row> rows)
    {
        var text = new StringBuilder();
        text.AppendLine("# Transfer benchmarks");
        text.AppendLine();
        text.AppendLine(
            "Produced by `./build.sh Benchmark` (the test cluster must be up: "
                + "`tests/Tierpsy.Krypton.IntegrationTests/cluster/up.sh`)."
        );
        text.AppendLine(
            "Stage and Retrieve run in-process over SSH.NET. Where the cluster is near (this machine's sshd), Stage "
                + "copies 4 files"
        );
        text.AppendLine(
            string.Create(
                CultureInfo.InvariantCulture,
                $"at once over one SFTP session and Retrieve downloads at most one file per two cores of this computer "
                    + $"at once (here {Transfer.Downloader.AtOnce(4, Environment.ProcessorCount)});"
            )
        );
        text.AppendLine(
            "through a distant link each of 4 copies has an SSH connection of its own (see below). Both compute "
                + "SHA-256 on both"
        );
        text.AppendLine(
            "sides, while the bytes move where they can, and give no file its name before the two agree. rsync runs "
                + "as"
        );
        text.AppendLine("`rsync -a -e ssh` against the same loopback sshd in the same run.");
        text.AppendLine(
            CultureInfo.InvariantCulture,
            $"Each time is the median of {Runs} runs, ours and rsync's alternating (so both meet the machine in the "
                + $"same state; which"
        );
        text.AppendLine(
            "goes first changes from pair to pair), each started after `sync`. The ratio is ours / rsync (below 1: "
                + "faster than rsync)"
        );
        text.AppendLine(
            "as the median over the pairs of runs, each run of ours divided by the rsync run beside it; the pairs' "
                + "lowest and highest"
        );
        text.AppendLine("ratio stand beside it.");
        text.AppendLine(
            "CPU-s is the CPU time the whole machine spent during that run (/proc/stat: both ends of the copy, every "
                + "process)."
        );
        text.AppendLine(
            "The round-trip rows put a delaying proxy between both clients and the sshd (a process of its own that "
                + "holds every"
        );
        text.AppendLine(
            "byte for half the round trip each way and never limits how many are on the way; this machine has no "
                + "netem)."
        );
        text.AppendLine();
        text.AppendLine(
            string.Create(
                CultureInfo.InvariantCulture,
                $"Machine: {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}; "
                    + $"run {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC."
            )
        );
        text.AppendLine();
        text.AppendLine("| case | Tierpsy.Krypton (s) | rsync -e ssh (s) | ratio | pairs | CPU-s: ours / rsync |");
        text.AppendLine("|---|---:|---:|---:|---:|---:|");
        static string Cpu(Timing run) =>
            run.CpuSeconds is { } cpu ? cpu.ToString("0.0", CultureInfo.InvariantCulture) : "n/a";
        static string Range(Row row) =>
            row.Ratios.Count < 2
                ? ""
                : string.Create(CultureInfo.InvariantCulture, $"{row.Ratios.Min():0.00}-{row.Ratios.Max():0.00}");
        foreach (var row in rows)
            text.AppendLine(
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"| {row.Case} | {row.Ours.Seconds:0.00} | {row.Rsync.Seconds:0.00} | {row.Ratio:0.00} | "
                        + $"{Range(row)} | {Cpu(row.Ours)} / {Cpu(row.Rsync)} |"
                )
            );
        text.AppendLine();
        text.AppendLine(
            "Where the time goes (`KRYPTON_BENCH_VERBOSE=1 ./build.sh Benchmark` prints each run's phases): both ends "
                + "share the"
        );
        text.AppendLine(
            "same cores here, so the wall time follows the CPU time, and the machine's speed drifts by a quarter and "
                + "more within"
        );
        text.AppendLine(
            "minutes (the range of the pairs shows it). The floor rows are SSH.NET's copy alone, connected"
        );
        text.AppendLine(
            "before the clock starts, nothing checked. Its upload costs less than rsync: at the start of every "
                + "connection, OpenSSH's"
        );
        text.AppendLine(
            "sshd grows the buffer that holds what is on the way to the SFTP server (or to rsync) 32 KiB at a time, "
                + "copying it"
        );
        text.AppendLine(
            "whole each time; rsync keeps the whole 2 MiB channel window on the way, so that buffer grows to about 4 "
                + "MB and sshd"
        );
        text.AppendLine(
            "spends 1.2-1.4 s on the copies while almost nothing moves, where Stage keeps half a megabyte on the way "
                + "on a short"
        );
        text.AppendLine(
            "link (`src/Tierpsy.Krypton/Remote/InFlightLimit.cs`; more where the round trip is longer). Its download "
                + "costs about"
        );
        text.AppendLine(
            "what rsync's does once the connection has 4 MiB TCP buffers (`Remote/SocketBuffers.cs`: SSH.NET pins "
                + "them at 268 KB,"
        );
        text.AppendLine(
            "so sshd waited for the receive window half the time), although SSH.NET hands every SSH packet from "
                + "thread to thread"
        );
        text.AppendLine(
            "where ssh reads, decrypts and writes in one loop, and each switch is expensive on this virtual machine. "
                + "Stage and Retrieve add"
        );
        text.AppendLine(
            "work rsync does not do: SHA-256 of every byte on the cluster (`openssl dgst`, about 1 CPU-s per GiB here "
                + "with the"
        );
        text.AppendLine(
            "reading) and on this side (about 0.4 CPU-s per GiB, hashed as the bytes pass), where rsync checks with "
                + "its far"
        );
        text.AppendLine(
            "cheaper xxh128, and the processes that verify on the cluster (starting one costs 5-17 ms of CPU here). "
                + "On a real"
        );
        text.AppendLine(
            "cluster that hashing runs on the login node, not on the computer that copies, and over a real link (1 "
                + "Gbit/s moves"
        );
        text.AppendLine("1 GiB in about 9 s) the wire is the bottleneck.");
        text.Append(
            """

            Small files (up to 1 MiB) travel in tar batches both ways: one archive, one unpack, one hashing command
            and one move script per 64 MiB (Retrieve: per 2,500 files, the next packed while one is written here)
            instead of an SFTP round trip and a rename per file. What is left is mostly the files' creation on each
            side. rsync writes each file once; a batch writes it once on the cluster and moves it, and Retrieve
            writes each to its partial copy and renames it, as rsync does. This machine's ext4 has no journal, and
            such a file system looks up and skips every inode freed in the last minute (five while its block is not
            written) whenever it creates a file: right after 10,000 files were deleted, creating 10,000 took 2-6 s
            of kernel CPU instead of 0.3 s. So a run's 10,000 files are moved aside, not deleted, before the next
            run, and deleted when the benchmark ends.

            Through a distant link, OpenSSH's 2 MiB channel window lets one session carry at most 2 MiB per round
            trip: 40 MiB/s through 50 ms, which is about what rsync's one connection gets, and what the upload floor
            rows (one session, 4 files) show. Stage and Retrieve time three SFTP stats at once on their first session
            (after one that is not timed: it compiles the code); from a 5 ms round trip on (`Remote/LinkDistance.cs`)
            each of the 4 copies has a connection of its own, and the cluster is listed with one `find` instead of
            SFTP's requests per folder level. The login shell starts with the connection, and the transfer lock is
            taken over SFTP where the workspace exists, so no shell start waits before the first copy; Stage's
            connections for copies open while it takes the lock, and its commands all run in that one login shell.
            Through 10 ms the copies alone move about as fast as the computers' shared cores allow here, so the fixed
            costs (connecting four times, the lock, the last file's hash on the cluster) decide the ratio.

            """
        );
        return text.ToString();
    }
}
