using Tierpsy.Krypton.Remote;
using Tierpsy.Krypton.Targets;
using Tierpsy.Krypton.Text;
using Tierpsy.Krypton.Transfer;

namespace Tierpsy.Krypton.Workflow;

public abstract partial class TierpsyBuild
{
    /// <summary>Where Retrieve puts Results/ (and MaskedVideos/); default the project folder.</summary>
    [Parameter("Where Retrieve puts Results/ and MaskedVideos/ (default: this project's folders)")]
    public AbsolutePath? Dest { get; set; }

    /// <summary>Retrieve the masked videos too.</summary>
    [Parameter("Retrieve MaskedVideos/ too")]
    public bool Masked { get; set; }

    /// <summary>Copies Results/ (MaskedVideos/ with --masked) back and verifies every hash.</summary>
    public virtual Target Retrieve =>
        _ =>
            _.Description("Copies Results/ (MaskedVideos/ with --masked) back and verifies every hash")
                .After(Verify, Summarize)
                .Executes(ct =>
                    ResumingAsync(
                        "Retrieve",
                        async () =>
                        {
                            await using var transfers = await LockTransfersAsync("Retrieve", ct);
                            var destination = Dest ?? RootDirectory;
                            // The folders staged from, and (for projects staged before those were recorded) each staged
                            // file's folder.
                            var sources = State
                                .StagedSources()
                                .Concat(
                                    Manifest
                                        .Load(State.Folder / "stage-manifest.json")
                                        .Entries.Select(e => Path.GetDirectoryName(e.LocalPath)!)
                                );
                            if (FolderContaining(destination, sources) is { } source)
                                throw new InvalidOperationException(
                                    $"--dest {destination} is inside the staged source folder {source}; results would "
                                        + $"mix with the raw videos (and the next Stage of {source} would copy them "
                                        + $"as raw videos). Choose another --dest. Nothing was copied."
                                );
                            var remote = await ConnectAsync(ct);
                            var downloads = Downloader.AtOnce(Transfers, Environment.ProcessorCount);
                            if (downloads < Transfers)
                                Log.Verbose(
                                    $"{downloads} download(s) at once if the cluster is near: at most one per two "
                                        + $"cores of this computer ({Environment.ProcessorCount}); --transfers "
                                        + $"{Transfers} if it is distant (the link, not the cores, limits them there)"
                                );
                            if (remote is SshRemote ssh)
                                (ssh.ParallelTransfers, ssh.DistantParallelTransfers) = (downloads, Transfers);
                            var layout = await LayoutAsync(ct);
                            var manifest = Manifest.Load(State.Folder / "retrieve-manifest.json");
                            string[] folders = Masked ? ["Results", "MaskedVideos"] : ["Results"];
                            var report = await new Downloader(
                                remote,
                                layout.Root,
                                manifest,
                                new BuildTransferLog(Log),
                                // Over SSH, the sessions' slots keep to the number the link allows.
                                remote is SshRemote
                                    ? Transfers
                                    : downloads
                            ).RunAsync(folders, destination, ct);
                            Log.Info(
                                $"Retrieved {report.Downloaded} files ({SizeText.Format(report.Bytes)}) into "
                                    + $"{destination}; {report.Skipped} were already here with the same SHA-256. "
                                    + $"Manifest: {manifest.File}"
                            );
                            // What the Report shows of the tasks, so that it needs no cluster once results are here.
                            if (!IsDryRun)
                                await RecordOpenTasksAsync(remote, ct);
                            if (report.Failed.Count > 0)
                                throw new IOException(
                                    $"{report.Failed.Count} files were not retrieved:\n  "
                                        + string.Join("\n  ", report.Failed)
                                );
                            var incomplete = report
                                .Paths.Where(p => p.EndsWith(".hdf5", StringComparison.Ordinal))
                                .Select(p =>
                                    (Path: p, Problem: Tierpsy.TierpsyOutput.Problem(Path.Combine(destination, p)))
                                )
                                .Where(x => x.Problem is not null)
                                .ToList();
                            if (incomplete.Count > 0)
                                throw new InvalidDataException(
                                    $"{incomplete.Count} retrieved files are not complete Tierpsy outputs (they were "
                                        + $"copied faithfully; Verify shows which videos to run again):\n  "
                                        + string.Join("\n  ", incomplete.Select(x => $"{x.Path}: {x.Problem}"))
                                );
                        },
                        ct,
                        Reconnects
                    )
                );

    /// <summary>
    /// The first of <paramref name="folders"/> that is <paramref name="path"/> or holds it; null when none does.
    /// </summary>
    internal static string? FolderContaining(string path, IEnumerable<string> folders)
    {
        // macOS and Windows disks ignore case
        var comparison = OperatingSystem.IsLinux() ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase;
        static string Normal(string p) =>
            Path.TrimEndingDirectorySeparator(Path.GetFullPath(p)) + Path.DirectorySeparatorChar;
        var inside = Normal(path);
        return folders.FirstOrDefault(f => inside.StartsWith(Normal(f), comparison));
    }
}
