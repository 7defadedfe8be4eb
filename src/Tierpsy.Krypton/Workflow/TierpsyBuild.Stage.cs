using System.IO.Enumeration;
using Tierpsy.Krypton.Remote;
using Tierpsy.Krypton.Targets;
using Tierpsy.Krypton.Text;
using Tierpsy.Krypton.Tierpsy;
using Tierpsy.Krypton.Transfer;

namespace Tierpsy.Krypton.Workflow;

public abstract partial class TierpsyBuild
{
    /// <summary>
    /// Folders of raw videos to stage: day folders (YYYYMMDD) keep their name; any other folder's content goes into
    /// RawVideos/.
    /// </summary>
    [Parameter(
        "Raw video folders to copy: day folders (YYYYMMDD) keep their name, other folders' contents go into RawVideos/"
    )]
    public AbsolutePath[] Source { get; set; } = [];

    /// <summary>How many files are copied at once (Retrieve: at most one per two cores of this computer).</summary>
    [Parameter("How many files are copied at once (Retrieve: at most one per two cores of this computer)", Minimum = 1)]
    public int Transfers { get; set; } = 4;

    /// <summary>Stage: replace files on the cluster that differ from the local files of the same name.</summary>
    [Parameter(
        "Stage: replace files on the cluster that differ from the local ones of the same name "
            + "(their old results become stale)"
    )]
    public bool Replace { get; set; }

    /// <summary>
    /// Copies the raw videos (--source) and AuxiliaryFiles/ to the cluster, checksummed and resumable.
    /// </summary>
    public virtual Target Stage =>
        _ =>
            _.Description(
                    "Copies the raw videos (--source) and AuxiliaryFiles/ to the cluster, checksummed and resumable"
                )
                .Requires(() => Source)
                .Executes(ct =>
                    ResumingAsync(
                        "Stage",
                        async () =>
                        {
                            CheckRemoteRootForTierpsy();
                            var items = StageItems();
                            Task<StagePlan>? planning = null;
                            await using var transfers = await LockTransfersAsync("Stage", ct, connecting =>
                                planning = PlanStageAsync(items, connecting, ct)
                            );
                            // Recorded before anything is copied: Retrieve refuses to write into these folders.
                            if (!IsDryRun)
                                State.AddStagedSources(Source.Select(s => (string)s));
                            var plan = await (planning ?? PlanStageAsync(items, ConnectAsync(ct), ct));
                            var remote = await ConnectAsync(ct);
                            var layout = await LayoutAsync(ct);
                            var report = await new Uploader(
                                remote,
                                layout.Root,
                                plan.Manifest,
                                new BuildTransferLog(Log),
                                Transfers
                            )
                            {
                                Replace = Replace,
                                Recorded = plan.Recorded,
                            }.RunAsync(items, ["RawVideos", "AuxiliaryFiles"], ct);
                            if (IsDryRun)
                            {
                                // Nothing was copied, so nothing could be checked on the cluster.
                                var size = SizeText.Format(items.Sum(i => new FileInfo(i.LocalPath).Length));
                                Log.Info(
                                    $"[dry-run] Stage would copy up to {items.Count} files ({size}); nothing was "
                                        + $"copied."
                                );
                                return;
                            }
                            Log.Info(
                                $"Staged {report.Uploaded} files ({SizeText.Format(report.Bytes)}); "
                                    + $"{report.Skipped} were already on the cluster with the same SHA-256. Manifest: "
                                    + $"{plan.Manifest.File}"
                            );
                            if (report.Replaced.Count > 0)
                                await ReportStaleOutputsAsync(remote, layout, report.Replaced, ct);
                            if (report.Failed.Count > 0)
                                throw new IOException(
                                    $"{report.Failed.Count} files were not staged:\n  "
                                        + string.Join("\n  ", report.Failed)
                                );
                        },
                        ct,
                        Reconnects
                    )
                );

    /// <summary>The stage manifest and the files it has unchanged since they were staged.</summary>
    private sealed record StagePlan(Manifest Manifest, IReadOnlySet<string> Recorded);

    /// <summary>
    /// Reads the manifest (10,000 entries take a tenth of a second) while the connection opens, and where a file is
    /// not in it, has the connections for copies opened while the cluster's lock is taken and its files listed: through
    /// a distant link each takes several round trips.
    /// </summary>
    private async Task<StagePlan> PlanStageAsync(
        IReadOnlyList<UploadItem> items,
        Task<IRemote> connecting,
        CancellationToken ct
    )
    {
        var manifest = await Task.Run(() => Manifest.Load(State.Folder / "stage-manifest.json"), ct);
        var recorded = Uploader.RecordedIn(manifest, items);
        var remote = await connecting;
        if (remote is SshRemote ssh)
            ssh.ParallelTransfers = ssh.DistantParallelTransfers = Transfers;
        if (recorded.Count < items.Count)
            remote.PrepareCopies();
        return new StagePlan(manifest, recorded);
    }

    /// <summary>Names the outputs on the cluster that were made from the videos Stage --replace replaced.</summary>
    private async Task ReportStaleOutputsAsync(
        IRemote remote,
        ProjectLayout layout,
        IReadOnlyList<Replacement> replaced,
        CancellationToken ct
    )
    {
        string[] folders = ["RawVideos", "MaskedVideos", "Results", "Tmp"];
        var listed = await RemoteFiles.ListAsync(remote, layout.Root, folders, ct);
        var videos = new RawVideos(listed.Keys, Pattern);
        var keys = replaced.SelectMany(r => videos.Of(r.RemotePath)).ToHashSet(StringComparer.Ordinal);
        var stale = listed
            .Keys.Where(p => OutputKey(p) is { } key && keys.Contains(key))
            .Order(StringComparer.Ordinal)
            .ToList();
        var names = string.Join(", ", replaced.Select(r => r.RemotePath).Take(5)) + (replaced.Count > 5 ? ", ..." : "");
        Log.Warning(
            $"Replaced {replaced.Count} files on the cluster with different ones: {names}."
                + (
                    stale.Count == 0
                        ? " No result, masked video or Tmp/ file was made from them yet."
                        : $" These {stale.Count} files were made from the old videos and are stale; delete them on "
                            + "the cluster so that ListFiles lists the videos again:\n  "
                            + string.Join("\n  ", stale)
                )
        );
    }

    /// <summary>The video key an output belongs to, in the final folders or in Tmp/.</summary>
    private static string? OutputKey(string path) => TemporaryFiles.VideoOf(path) ?? TemporaryFiles.OutputVideoOf(path);

    /// <summary>Every local file to stage and its path on the cluster; fails on sources that do not exist.</summary>
    private List<UploadItem> StageItems()
    {
        var items = new List<UploadItem>();
        foreach (var source in Source)
        {
            if (File.Exists(source))
                throw new ArgumentException(
                    $"--source {source} is a file; Stage copies folders. Give the folder "
                        + $"that holds it ({Path.GetDirectoryName((string)source)}), usually an "
                        + "imaging day. Nothing was copied."
                );
            if (!Directory.Exists(source))
                throw new DirectoryNotFoundException(
                    $"The source folder {source} does not exist (or is not mounted). Check --source. Nothing was "
                        + $"copied."
                );
            var target = StagedFolders.ClusterFolder(source);
            var files = Files(source, target).ToList();
            if (!files.Any(f => FileSystemName.MatchesSimpleExpression(Pattern, Path.GetFileName(f.LocalPath), false)))
                Log.Warning(
                    $"No file in {source} matches the video pattern {Pattern} (--pattern): Tierpsy will "
                        + "find no video in what is staged from it. Hydra imgstores need *.yaml; plain videos "
                        + "need e.g. *.mp4."
                );
            items.AddRange(files);
        }
        var auxiliary = RootDirectory / "AuxiliaryFiles";
        if (Directory.Exists(auxiliary))
            items.AddRange(Files(auxiliary, "AuxiliaryFiles"));
        var twice = items.GroupBy(i => i.RemotePath).FirstOrDefault(g => g.Count() > 1);
        if (twice is not null)
            throw new InvalidOperationException(
                $"Two sources would both write {twice.Key}: {string.Join(" and ", twice.Select(i => i.LocalPath))}. "
                    + "They are different files with the same name on the cluster: rename the folder of one of them. "
                    + "Nothing was copied."
            );
        return items;
    }

    private static IEnumerable<UploadItem> Files(string folder, string target) =>
        Directory
            .EnumerateFiles(
                folder,
                "*",
                new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.None }
            )
            .Where(f => !f.EndsWith(RemoteFiles.PartialSuffix, StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(f => new UploadItem(f, $"{target}/{Path.GetRelativePath(folder, f).Replace('\\', '/')}"));
}
