using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Tierpsy.Krypton.Schedulers;
using Tierpsy.Krypton.Targets;
using Tierpsy.Krypton.Workflow;

namespace Tierpsy.Krypton.Benchmarks;

/// <summary>
/// The Report of a run of 1,000 Hydra videos after Retrieve: <c>./build.sh Report</c> in a generated project whose
/// state holds the two submissions (1,000 videos, then 20 again) with their task records, and whose Results/ holds the
/// joined summaries of 16,000 wells with Tierpsy's 3,016 features each. The cluster's port is closed, so the page must
/// come from what the project holds.
/// </summary>
internal static class ReportBenchmark
{
    public const string Name = "Report of 1,000 Hydra videos";
    private const int Videos = 1_000;
    private const int Failed = 20;
    private const int Features = 3_016;
    private const int Runs = 7;
    private static int Plates => (Videos + Serials.Length - 1) / Serials.Length;
    private const string Root = "/home/jdoe/tierpsy_bench";
    private static readonly string[] Days = ["20210501", "20210502", "20210503", "20210504"];
    private static readonly string[] Serials = ["22956818", "22956816", "22956813", "22956805", "22956807", "22956832"];

    /// <summary>The section: what was measured and the times.</summary>
    public static string Run(string work)
    {
        var project = StartUpBenchmark.Generate(work);
        var summaryBytes = Fill(project.Folder);
        string[] report = ["Report", "--host", "127.0.0.1", "--port", ClosedPort(), "--scheduler", "slurm"];
        var build = Path.Combine(project.Folder, "build.sh");
        var times = new List<double>();
        for (var run = 0; run < Runs + 1; run++)
        {
            var watch = Stopwatch.StartNew();
            var output = StartUpBenchmark.Check(build, project.Environment, project.Folder, report);
            if (run > 0)
                times.Add(watch.Elapsed.TotalSeconds);
            if (output.Contains("could not be reached", StringComparison.Ordinal))
                throw new InvalidOperationException($"Report asked the cluster:\n{output}");
            if (
                !output.Contains($"{Videos} videos, {Plates} plates, {Videos + Failed} tasks", StringComparison.Ordinal)
            )
                throw new InvalidOperationException($"Report did not show every video and plate:\n{output}");
        }
        var file = Path.Combine(project.Folder, "Results", "report.html");
        var valued = Regex.Count(
            File.ReadAllText(file),
            "<span title=\"[A-H][0-9]+: n_skeletons [0-9.]+, feature [0-9.]+\">"
        );
        if (valued != Videos * 16)
            throw new InvalidOperationException($"{valued} wells of the page have a speed_50th, not {Videos * 16}");
        var page = new FileInfo(file).Length;
        times.Sort();
        return string.Create(
            CultureInfo.InvariantCulture,
            $"""

            ## Report

            `./build.sh Report` in a project made with `dotnet new tierpsy-krypton`, after Retrieve of a run
            of {Videos:N0} Hydra videos ({Plates} plates of six cameras over {Days.Length} days; {Failed} failed and ran
            again, so 2 submissions and {Videos + Failed:N0} tasks, each with its task record). Results/ holds the
            joined summaries: {Videos * 16:N0} wells with {Features:N0} features each ({summaryBytes >> 20:N0} MiB).
            The cluster's port is closed: the page comes from the project alone. One run first to warm the page
            cache, then {Runs}; the median and the range. The page is {page / 1024:N0} KiB.

            | command | median (s) | range (s) | goal |
            |---|---:|---:|---|
            | {Name}: `./build.sh Report` | {times[times.Count / 2]:0.00} | {times[0]:0.00}-{times[^1]:0.00} | < 5 s |

            """
        );
    }

    /// <summary>A local port nothing listens on.</summary>
    private static string ClosedPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>The state and Results/ of the run; returns the size of the joined features table.</summary>
    private static long Fill(string folder)
    {
        var videos = Enumerable
            .Range(0, Videos)
            .Select(i =>
            {
                var day = Days[i / Serials.Length % Days.Length];
                var (plate, serial) = (i / Serials.Length, Serials[i % Serials.Length]);
                return $"{Root}/RawVideos/{day}/hydra_plate{plate}_{day}_101010.{serial}";
            })
            .ToList();
        var state = new ProjectState(AbsolutePath.Create(folder));
        var start = new DateTimeOffset(2021, 5, 10, 8, 0, 0, TimeSpan.Zero);
        var failed = Enumerable.Range(0, Failed).Select(i => i * (Videos / Failed)).ToHashSet();
        Save(state, "20210510-080000", 1, start, [.. videos.Select(v => v + "/metadata.yaml")], failed);
        Save(
            state,
            "20210511-080000",
            2,
            start.AddDays(1),
            [.. failed.Select(i => videos[i] + "/metadata.yaml")],
            new HashSet<int>()
        );
        return WriteSummaries(Path.Combine(folder, "Results"), videos);
    }

    private static void Save(
        ProjectState state,
        string id,
        int attempt,
        DateTimeOffset start,
        IReadOnlyList<string> videos,
        IReadOnlySet<int> failed
    )
    {
        var random = new Random(attempt);
        state.Save(
            new Submission
            {
                Id = id,
                Attempt = attempt,
                Scheduler = SchedulerKind.Slurm,
                SubmittedAt = start,
                Directory = $"{Root}/workspace/submissions/{id}",
                Videos = videos,
                Arrays =
                [
                    new SubmittedArray(1, 0, videos.Count, (4101 + attempt).ToString(CultureInfo.InvariantCulture)),
                ],
                Walltime = TimeSpan.FromHours(30),
                Memory = "16gb",
            }
        );
        long first = start.ToUnixTimeSeconds();
        var tail = Enumerable.Range(0, 15).Select(l => $"progress line {l} of a failed task's log").ToList();
        state.SaveRecord(
            id,
            new SubmissionRecord(
                start.AddDays(1),
                videos
                    .Select(
                        (_, i) =>
                        {
                            var began = first + random.Next(0, 20 * 3600);
                            var fails = failed.Contains(i);
                            return new TaskRecord(
                                i + 1,
                                began,
                                began + random.Next(2 * 3600, 9 * 3600),
                                fails ? 1 : 0,
                                fails ? "COMPRESS" : "FEAT_INIT",
                                random.NextInt64(4L << 30, 12L << 30),
                                fails ? "COMPRESS: OSError: [Errno 5] Input/output error" : null,
                                fails ? tail : null
                            );
                        }
                    )
                    .ToList()
            )
        );
    }

    /// <summary>
    /// The joined tables as Summarize writes them: 16 wells per camera (two columns of the plate each), the feature
    /// columns in no order (speed_50th among them), values as Tierpsy prints float32s.
    /// </summary>
    private static long WriteSummaries(string folder, IReadOnlyList<string> videos)
    {
        Directory.CreateDirectory(folder);
        const string stamp = "tierpsy_plate_20210512_080000";
        using (var names = new StreamWriter(Path.Combine(folder, $"filenames_summary_{stamp}_compiled.csv")))
        {
            names.Write("file_id,filename,is_good\n");
            for (var i = 0; i < videos.Count; i++)
            {
                var results = videos[i].Replace("/RawVideos/", "/Results/", StringComparison.Ordinal);
                names.Write(
                    string.Create(CultureInfo.InvariantCulture, $"{i},{results}/metadata_featuresN.hdf5,True\n")
                );
            }
        }
        var random = new Random(7);
        var pool = Enumerable
            .Range(0, 4096)
            .Select(_ => ((float)(random.NextDouble() * 400)).ToString("R", CultureInfo.InvariantCulture))
            .Select(v => ((double)float.Parse(v, CultureInfo.InvariantCulture)).ToString(CultureInfo.InvariantCulture))
            .ToArray();
        var columns = Enumerable.Range(0, Features).Select(f => $"feature_{f}_50th").ToArray();
        columns[Features / 2] = "speed_50th";
        var file = Path.Combine(folder, $"features_summary_{stamp}_compiled.csv");
        using (var features = new StreamWriter(file, false, new UTF8Encoding(false), 1 << 20))
        {
            features.Write("file_id,n_skeletons,well_name,is_good_well,");
            features.Write(string.Join(",", columns));
            features.Write('\n');
            var line = new StringBuilder();
            for (var i = 0; i < videos.Count; i++)
            for (var w = 0; w < 16; w++)
            {
                var well = $"{"ABCDEFGH"[w % 8]}{i % Serials.Length * 2 + 1 + w / 8}";
                line.Clear().Append(CultureInfo.InvariantCulture, $"{i},{random.Next(200, 2000)}.0,{well},1");
                for (var f = 0; f < Features; f++)
                    line.Append(',').Append(pool[random.Next(pool.Length)]);
                features.Write(line.Append('\n'));
            }
        }
        return new FileInfo(file).Length;
    }
}
