using System.Globalization;
using System.Text;
using static Tierpsy.Krypton.Benchmarks.TransferBenchmark;

namespace Tierpsy.Krypton.Benchmarks;

/// <summary>
/// Short tasks on the test cluster's SLURM: <c>Submit Monitor</c> of 50 tasks of 2 s (the Tierpsy stand-in told to
/// last 2 s) on its 4 slots, from the start of the command to Monitor's exit, with the poll interval a user gets
/// (60 s, the build's own minimum of 30 s), against the same job script submitted with plain <c>sbatch</c> and
/// polled with <c>squeue</c> every second, from the start of one ssh command to its end.
/// </summary>
internal static class ShortTasksBenchmark
{
    private const int Tasks = 50;
    private const int TaskSeconds = 2;
    private const int Pairs = 5;
    private const string Day = "20210504";
    private const string Goal = "≤ 1.2";
    private const string ParamsFile = "loopbio_rig_96WP_splitFOV_NN_20220310.json";

    /// <summary>The section: what was measured, and its row.</summary>
    public static string Run(string work, string remote)
    {
        var roots = new List<string>();
        var row = Alternating(
            $"Submit and Monitor of {Tasks} tasks of {TaskSeconds} s on 4 SLURM slots",
            () => Ours(work, remote, roots),
            () => PlainSbatch(roots[^1]),
            Pairs
        );
        return string.Create(
            CultureInfo.InvariantCulture,
            $"""

            ## Short tasks

            `./build.sh Submit Monitor` of {Tasks} tasks of {TaskSeconds} s (the Tierpsy stand-in told to last so
            long) on the test cluster's SLURM (one node of 4 CPUs, `sched_interval=1`), from the start of the command to
            Monitor's exit, with the polling a user gets (`--poll-interval` 60 s): it includes connecting, listing
            the videos with Tierpsy, writing and submitting the job script. The reference submits the same job script
            with plain `sbatch` and asks `squeue` every second until the array has left the queue, in one ssh
            command. Medians of {Pairs} alternating pairs; the ratio is the median of the pairs' ratios.

            | case | Tierpsy.Krypton (s) | sbatch, polled every second (s) | ratio | pairs | goal |
            |---|---:|---:|---:|---:|---|
            | {row.Case} | {row.Ours.Seconds:0.0} | {row.Rsync.Seconds:0.0} | {row.Ratio:0.00} | {Range(row)} | {Goal} |

            """
        );
    }

    private static string Range(Row row) =>
        string.Create(CultureInfo.InvariantCulture, $"{row.Ratios.Min():0.00}-{row.Ratios.Max():0.00}");

    /// <summary>A fresh project and cluster folder; <c>Submit Monitor</c> timed.</summary>
    private static Timing Ours(string work, string remote, List<string> roots)
    {
        var name = $"short-{roots.Count}";
        var project = Path.Combine(work, name);
        var root = Path.Combine(remote, name);
        roots.Add(root);
        Prepare(project, root);
        return Time(() => Build(project, "Submit", "Monitor"));
    }

    /// <summary>The job script of the latest of our runs, its outputs deleted, submitted with plain sbatch.</summary>
    private static Timing PlainSbatch(string root)
    {
        foreach (var folder in new[] { "Results", "MaskedVideos", "Tmp" })
            if (Directory.Exists(Path.Combine(root, folder)))
                Directory.Delete(Path.Combine(root, folder), recursive: true);
        var submission = Directory.GetDirectories(Path.Combine(root, "workspace", "submissions")).Single();
        var command =
            $"cd '{submission}' && id=$(sbatch --parsable job.1.sh) && "
            + "while [ -n \"$(squeue -h -r -j \"$id\")\" ]; do sleep 1; done";
        return Time(() => TransferBenchmark.Run("ssh", [.. SshArguments(Direct), "root@127.0.0.1", command]));
    }

    /// <summary>
    /// The stand-in Tierpsy and <see cref="Tasks"/> imgstores on the cluster (this machine), each told to last
    /// <see cref="TaskSeconds"/>; the project's parameters here.
    /// </summary>
    private static void Prepare(string project, string root)
    {
        var repository = StatusBenchmark.RepositoryRoot();
        var standin = Path.Combine(root, "standin");
        CopyStandIn(Path.Combine(repository, "tests", "Tierpsy.Krypton.IntegrationTests", "standin"), standin);
        File.Copy(
            Path.Combine(repository, "tests", "fixtures", "tierpsy", "tracker-parameters.tsv"),
            Path.Combine(standin, "tracker-parameters.tsv")
        );
        for (var i = 0; i < Tasks; i++)
        {
            var video = Path.Combine(root, "RawVideos", Day, $"plate_run{i}_{Day}_120000.229568{i:00}");
            Directory.CreateDirectory(video);
            File.WriteAllText(Path.Combine(video, "metadata.yaml"), "__store: imgstore\n");
            File.WriteAllText(
                Path.Combine(video, "STANDIN_TASK_SECONDS"),
                TaskSeconds.ToString(CultureInfo.InvariantCulture)
            );
        }
        Directory.CreateDirectory(Path.Combine(project, "AuxiliaryFiles"));
        File.Copy(
            Path.Combine(repository, "tests", "fixtures", "tierpsy", "params", ParamsFile),
            Path.Combine(project, "AuxiliaryFiles", ParamsFile)
        );
        WriteParameters(
            project,
            root,
            Direct,
            more: new Dictionary<string, object>
            {
                ["Walltime"] = "0:10:00",
                ["ParamsFile"] = $"AuxiliaryFiles/{ParamsFile}",
                ["TierpsySetup"] = new[] { $"export PATH='{standin}':\"$PATH\"", $"export PYTHONPATH='{standin}'" },
            }
        );
    }

    private static void CopyStandIn(string from, string to)
    {
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            if (file.Contains("__pycache__", StringComparison.Ordinal))
                continue;
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
            if (!OperatingSystem.IsWindows())
                File.SetUnixFileMode(target, (UnixFileMode)0b111_101_101);
        }
    }
}
