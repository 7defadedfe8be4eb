using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Tierpsy.Krypton.Targets;
using Tierpsy.Krypton.TestSupport;
using Tierpsy.Krypton.Workflow;

namespace Tierpsy.Krypton.Benchmarks;

/// <summary>
/// Cuts the connection at random moments during Stage and Retrieve on the loopback test cluster and reports what a
/// user's bad day would bring: how many cuts, how many runs until the target succeeded, how many times a run
/// reconnected by itself, every distinct error a run stopped with, and whether any file under its real name ever
/// differed from its source (checked after every run) or was missing at the end. Runs rounds of a fresh project
/// until each target has met at least <see cref="MinimumCuts"/> cuts. Needs the test cluster.
/// </summary>
internal static class FaultBenchmark
{
    /// <summary>Each target meets at least this many cuts.</summary>
    private const int MinimumCuts = 20;

    /// <summary>
    /// A round gives up after this many runs (a target that never converges is a finding, not a hang).
    /// </summary>
    private const int MaximumRuns = 30;

    /// <summary>Each connection is cut after a number of bytes (both directions) drawn between these.</summary>
    private const long CutFrom = 200_000,
        CutTo = 5_000_000;

    private sealed class FaultBuild : TierpsyBuild;

    private sealed record Outcome(
        string Target,
        int Rounds,
        int Cuts,
        int Runs,
        int Reconnects,
        int Corrupt,
        int Missing,
        int Leftovers,
        IReadOnlyList<string> Errors,
        double Seconds
    );

    public static int Run(string output, string cluster, int port)
    {
        var key = Path.Combine(cluster, "ssh", "client_ed25519");
        if (!File.Exists(key))
        {
            Console.Error.WriteLine(
                $"error: no test cluster ({key} is missing). Start it with "
                    + "tests/Tierpsy.Krypton.IntegrationTests/cluster/up.sh, then run it again."
            );
            return 2;
        }
        var work = Path.Combine(Path.GetTempPath(), $"krypton-faults-{Guid.NewGuid():N}"[..26]);
        var remote = Path.Combine(cluster, "jobs", Path.GetFileName(work));
        try
        {
            var context = new Context(work, remote, key, Path.Combine(cluster, "ssh", "hostkey_ed25519.pub"), port);
            var outcomes = new[] { Rounds("Stage", context), Rounds("Retrieve", context) };
            var report = Report(outcomes);
            Console.WriteLine(report);
            File.WriteAllText(output, report);
            return outcomes.All(o => o.Corrupt == 0 && o.Missing == 0 && o.Runs > 0) ? 0 : 1;
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

    private sealed record Context(string Work, string Remote, string Key, string HostKey, int Port);

    /// <summary>
    /// Fresh rounds of one target through a cutting proxy until it has met <see cref="MinimumCuts"/> cuts.
    /// </summary>
    private static Outcome Rounds(string target, Context context)
    {
        var clock = Stopwatch.StartNew();
        var (rounds, cuts, runs, reconnects, corrupt, missing, leftovers) = (0, 0, 0, 0, 0, 0, 0);
        var errors = new SortedSet<string>(StringComparer.Ordinal);
        while (cuts < MinimumCuts && rounds < 10)
        {
            rounds++;
            var round = Path.Combine(context.Work, $"{target}-{rounds}");
            var root = Path.Combine(context.Remote, $"{target}-{rounds}");
            var (source, destination) =
                target == "Stage"
                    ? (Path.Combine(round, "share", "20210504"), Path.Combine(root, "RawVideos", "20210504"))
                    : (
                        Path.Combine(root, "Results", "20210504"),
                        Path.Combine(round, "project", "Results", "20210504")
                    );
            MakeFiles(source, seed: rounds);
            var proxy = new RandomCuttingProxy(context.Port, seed: rounds);
            try
            {
                WriteParameters(Path.Combine(round, "project"), root, proxy.Port, context);
                for (var run = 1; run <= MaximumRuns; run++)
                {
                    runs++;
                    var (exit, log) = Build(
                        Path.Combine(round, "project"),
                        target == "Stage" ? ["Stage", "--source", source] : ["Retrieve", "--skip"]
                    );
                    reconnects += Count(log, "reconnecting in ");
                    corrupt += Compare(source, destination).Corrupt; // files under their real name, after every run
                    if (exit == 0)
                        break;
                    errors.Add(FirstError(log));
                }
                cuts += proxy.Cuts;
            }
            finally
            {
                proxy.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }
            var (_, absent) = Compare(source, destination);
            missing += absent;
            leftovers += Directory
                .GetFiles(
                    target == "Stage" ? root : Path.Combine(round, "project"),
                    "*.krypton-partial",
                    SearchOption.AllDirectories
                )
                .Length;
        }
        return new Outcome(
            target,
            rounds,
            cuts,
            runs,
            reconnects,
            corrupt,
            missing,
            leftovers,
            [.. errors],
            clock.Elapsed.TotalSeconds
        );
    }

    /// <summary>26 files from 0 bytes to 3 MB (about 36 MB), in two camera folders, different per round.</summary>
    private static void MakeFiles(string folder, int seed)
    {
        var random = new Random(seed);
        for (var i = 0; i < 26; i++)
        {
            var file = Path.Combine(folder, $"cam {i % 2}.2295681{i % 2}", $"{i:000000}.mp4");
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            var bytes = new byte[i < 2 ? 0 : random.Next(100_000, 3_000_000)];
            random.NextBytes(bytes);
            File.WriteAllBytes(file, bytes);
        }
    }

    /// <summary>Source files whose copy under its real name differs (corrupt) or is not there (missing).</summary>
    private static (int Corrupt, int Missing) Compare(string source, string destination)
    {
        var (corrupt, missing) = (0, 0);
        foreach (var file in Directory.GetFiles(source, "*", SearchOption.AllDirectories))
        {
            var copy = Path.Combine(destination, Path.GetRelativePath(source, file));
            if (!File.Exists(copy))
                missing++;
            else if (
                !SHA256
                    .HashData(File.ReadAllBytes(copy))
                    .AsSpan()
                    .SequenceEqual(SHA256.HashData(File.ReadAllBytes(file)))
            )
                corrupt++;
        }
        return (corrupt, missing);
    }

    private static int Count(string text, string what)
    {
        var (count, at) = (0, 0);
        while ((at = text.IndexOf(what, at, StringComparison.Ordinal)) >= 0)
            (count, at) = (count + 1, at + what.Length);
        return count;
    }

    /// <summary>
    /// A failed run's first error line, with its port and paths left out so that the same error counts once.
    /// </summary>
    private static string FirstError(string log)
    {
        var line = log.Split('\n').FirstOrDefault(l => l.StartsWith("error: ", StringComparison.Ordinal))
            ?? "(no error line)";
        line = System.Text.RegularExpressions.Regex.Replace(line, @":\d{2,5}\b", ":<port>");
        // A path (spaces allowed) runs to the end of its sentence, a colon or a closing parenthesis.
        line = System.Text.RegularExpressions.Regex.Replace(line, @"(?<=[ (])/.*?(?=\. [A-Z]|: |\)|$)", "<path>");
        return line.Length > 200 ? line[..200] + "..." : line;
    }

    private static void WriteParameters(string project, string remoteRoot, int port, Context context)
    {
        Directory.CreateDirectory(Path.Combine(project, ".krypton"));
        var hostKey = File.ReadAllText(context.HostKey).Split(' ');
        var knownHosts = Path.Combine(project, "known_hosts");
        File.WriteAllText(
            knownHosts,
            Remote.KnownHosts.Line("127.0.0.1", port, hostKey[0], Convert.FromBase64String(hostKey[1])) + "\n"
        );
        TransferBenchmark.WriteParameters(
            project,
            remoteRoot,
            new TransferBenchmark.Link(port, knownHosts),
            context.Key
        );
    }

    private static (int Exit, string Log) Build(string project, string[] args)
    {
        var log = new StringWriter();
        var exit = BuildRunner
            .RunAsync(
                new FaultBuild(),
                new BuildInvocation
                {
                    Arguments = args,
                    Environment = new Dictionary<string, string>(),
                    WorkingDirectory = project,
                    Output = log,
                    Error = log,
                },
                []
            )
            .GetAwaiter()
            .GetResult();
        return (exit, log.ToString());
    }

    private static string Report(IReadOnlyList<Outcome> outcomes)
    {
        var s = new StringBuilder();
        var (kilobytes, megabytes) = (CutFrom / 1000, CutTo / 1_000_000);
        s.Append(
            FormattableString.Invariant(
                $$"""
                # Fault benchmark

                Produced by `./build.sh FaultBenchmark` (the test cluster must be up). A proxy between the build and the
                loopback sshd cuts every connection after a random number of bytes (both directions together, drawn
                between {{kilobytes}} kB and {{megabytes}} MB, so cuts fall during handshakes, listings, copies,
                hashing and renames alike). Each round stages (or retrieves) 26 files of 0 bytes to 3 MB into a
                fresh project and runs the target again until it succeeds, as a user would, with its default
                `--reconnects 3`; rounds go on until the target has met at least {{MinimumCuts}} cuts. After every
                run each file under its real name is compared with its source (SHA-256): "corrupt" counts those that
                ever differed; "missing" those absent at the end; "partials left" the `.krypton-partial` files left
                after the last run.

                Machine: {{Environment.ProcessorCount}} cores, {{Environment.OSVersion}}, .NET {{Environment.Version}};
                run {{DateTime.UtcNow:yyyy-MM-dd HH:mm}} UTC.

                | target | rounds | cuts | runs | reconnects within runs | corrupt | missing | partials left | time (s) |
                |---|---:|---:|---:|---:|---:|---:|---:|---:|

                """
            )
        );
        foreach (var o in outcomes)
        {
            object[] cells =
            [
                o.Target,
                o.Rounds,
                o.Cuts,
                o.Runs,
                o.Reconnects,
                o.Corrupt,
                o.Missing,
                o.Leftovers,
                o.Seconds.ToString("0", CultureInfo.InvariantCulture),
            ];
            s.AppendLine(
                "| " + string.Join(" | ", cells.Select(c => Convert.ToString(c, CultureInfo.InvariantCulture))) + " |"
            );
        }
        s.AppendLine();
        s.AppendLine("Errors the failed runs stopped with (each distinct first line once):");
        s.AppendLine();
        foreach (var o in outcomes)
        foreach (var error in o.Errors.DefaultIfEmpty("(none: every run succeeded, reconnecting where it had to)"))
            s.AppendLine(
                CultureInfo.InvariantCulture,
                $"- {o.Target}: `{error.Replace("`", "'", StringComparison.Ordinal)}`"
            );
        return s.ToString();
    }

    /// <summary>
    /// A loopback proxy that cuts each connection after a random number of bytes, both directions counted.
    /// </summary>
    private sealed class RandomCuttingProxy : LoopbackProxy
    {
        private readonly Random _random;
        private int _cuts;

        public RandomCuttingProxy(int targetPort, int seed)
            : base(0)
        {
            _random = new Random(seed);
            Start(targetPort);
        }

        public int Cuts => Volatile.Read(ref _cuts);

        protected override async Task PumpAsync(
            NetworkStream from,
            NetworkStream to,
            bool fromClient,
            CancellationToken ct
        )
        {
            // Each direction of a connection gets half of the connection's budget, drawn once per direction.
            long budget;
            lock (_random)
                budget = _random.NextInt64(CutFrom, CutTo) / 2;
            var buffer = new byte[16 * 1024];
            try
            {
                while (true)
                {
                    var read = await from.ReadAsync(buffer, ct);
                    if (read == 0)
                        return;
                    var allowed = (int)Math.Min(read, budget);
                    if (allowed > 0)
                        await to.WriteAsync(buffer.AsMemory(0, allowed), ct);
                    budget -= allowed;
                    if (budget <= 0)
                    {
                        Interlocked.Increment(ref _cuts);
                        return;
                    }
                }
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or SocketException) { }
        }
    }
}
