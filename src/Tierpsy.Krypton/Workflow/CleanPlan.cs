using Tierpsy.Krypton.Tierpsy;
using Tierpsy.Krypton.Transfer;

namespace Tierpsy.Krypton.Workflow;

/// <summary>One cluster file and what Clean does with it.</summary>
/// <param name="Path">Its path below the project root on the cluster.</param>
/// <param name="Delete">True only when a copy is proven to be safe elsewhere.</param>
/// <param name="Reason">Why it is deleted or kept.</param>
internal sealed record CleanDecision(string Path, bool Delete, string Reason);

/// <summary>
/// Decides, file by file, what Clean may delete on the cluster. The only ways to "delete" are: (a) a result or
/// masked video whose cluster SHA-256 equals the retrieve manifest's and whose local copy still matches it; (b) a raw
/// video whose cluster SHA-256 equals the stage manifest's and whose staged source still matches it, once its video's
/// results were retrieved (unless <c>unanalysed</c>: a video still to be analysed or resubmitted needs it on the
/// cluster); (c) a file in Tierpsy's temporary folder left by a video whose features file exists. Everything else is
/// kept, with the reason.
/// </summary>
internal static class CleanPlan
{
    /// <param name="remote">The cluster's files below the project root, with their SHA-256.</param>
    /// <param name="retrieved">The retrieve manifest.</param>
    /// <param name="staged">The stage manifest.</param>
    /// <param name="localMatches">
    /// Whether an entry's local file still matches it (size and time, or a fresh hash).</param>
    /// <param name="videoPattern">
    /// The file name pattern of the videos (<c>*</c> and <c>?</c>), as Tierpsy's listing takes it.</param>
    /// <param name="unanalysed">Also delete raw videos whose results were never retrieved.</param>
    /// <param name="quickCheck">Whether <paramref name="localMatches"/> compares size and time only.</param>
    /// <param name="stagedFolders">Every local folder Stage copied from; empty when none was recorded.</param>
    /// <param name="localExists">Whether a local file exists (for the source of a partial copy).</param>
    /// <param name="reanalysed">
    /// Masked videos (paths below the project root) that a re-analysis from masked videos reads: each is kept until
    /// its new features file is retrieved.</param>
    public static async Task<IReadOnlyList<CleanDecision>> DecideAsync(
        IReadOnlyDictionary<string, RemoteFile> remote,
        Manifest retrieved,
        Manifest staged,
        Func<ManifestEntry, Task<bool>> localMatches,
        string videoPattern = "*.yaml",
        bool unanalysed = false,
        bool quickCheck = false,
        IReadOnlyList<string>? stagedFolders = null,
        Func<string, bool>? localExists = null,
        IReadOnlySet<string>? reanalysed = null
    )
    {
        var compared = quickCheck
            ? "its size and time are as when it was copied (--quick-check: no fresh SHA-256)"
            : "its fresh SHA-256 equals the cluster copy's";
        var videos = new RawVideos(remote.Keys, videoPattern);
        var decisions = new List<CleanDecision>();
        foreach (var file in remote.Values.OrderBy(f => f.Path, StringComparer.Ordinal))
        {
            var top = file.Path.Split('/')[0];
            if (file.Path.EndsWith(RemoteFiles.PartialSuffix, StringComparison.Ordinal))
            {
                decisions.Add(Partial(file.Path, stagedFolders ?? [], localExists ?? File.Exists));
                continue;
            }
            decisions.Add(
                top switch
                {
                    "Results" or "MaskedVideos" => await Copied(
                        file,
                        retrieved[file.Path],
                        "retrieved",
                        "retrieved to",
                        "Retrieve",
                        localMatches,
                        compared
                    ),
                    "RawVideos" => Analysed(
                        await Copied(file, staged[file.Path], "staged", "staged from", "Stage", localMatches, compared),
                        videos,
                        retrieved,
                        unanalysed
                    ),
                    "Tmp" => Temporary(file, remote),
                    _ => new CleanDecision(
                        file.Path,
                        false,
                        "not a video, result or temporary file: Clean never deletes it"
                    ),
                }
            );
        }
        return reanalysed is { Count: > 0 } ? KeepInputs(decisions, reanalysed) : decisions;
    }

    /// <summary>
    /// A masked video that a re-analysis reads is its input: deleting it (even with a copy here) would stop a
    /// resubmission. It goes only once its new features file is retrieved and may go.
    /// </summary>
    private static List<CleanDecision> KeepInputs(List<CleanDecision> decisions, IReadOnlySet<string> reanalysed)
    {
        var byPath = decisions.ToDictionary(d => d.Path, StringComparer.Ordinal);
        return decisions
            .Select(d =>
            {
                if (!d.Delete || !reanalysed.Contains(d.Path))
                    return d;
                var features = FeaturesOf(d.Path);
                return byPath.GetValueOrDefault(features) is { Delete: true }
                    ? d
                    : d with
                    {
                        Delete = false,
                        Reason =
                            $"input of a re-analysis from masked videos (--from masked): kept until {features} is "
                            + "retrieved",
                    };
            })
            .ToList();
    }

    /// <summary><c>MaskedVideos/day/x.hdf5</c> → <c>Results/day/x_featuresN.hdf5</c>.</summary>
    private static string FeaturesOf(string masked) =>
        "Results/" + masked["MaskedVideos/".Length..^".hdf5".Length] + "_featuresN.hdf5";

    private static async Task<CleanDecision> Copied(
        RemoteFile file,
        ManifestEntry? entry,
        string copied,
        string copiedWhere,
        string target,
        Func<ManifestEntry, Task<bool>> localMatches,
        string compared
    )
    {
        if (file.Sha256 is null)
            return new(file.Path, false, "its SHA-256 could not be computed on the cluster");
        if (entry is null)
            return new(file.Path, false, $"never {copied}: run {target} first");
        if (entry.Sha256 != file.Sha256)
            return new(file.Path, false, $"changed on the cluster since it was {copied}: run {target} again");
        if (!await localMatches(entry))
            return new(
                file.Path,
                false,
                $"the local copy {entry.LocalPath} is missing or differs from what was {copied}"
            );
        return new(file.Path, true, $"{copiedWhere} {entry.LocalPath}; {compared}");
    }

    /// <summary>
    /// A partial copy left by an interrupted Stage (Clean holds the project's cluster lock, so no Stage runs now): kept
    /// while a staged folder still holds its source, which the next Stage resumes; deleted when none does (the file was
    /// renamed or removed before its copy ended), since a partial copy is never the only copy of anything.
    /// </summary>
    private static CleanDecision Partial(string path, IReadOnlyList<string> stagedFolders, Func<string, bool> exists)
    {
        var real = path[..^RemoteFiles.PartialSuffix.Length];
        if (!real.StartsWith("RawVideos/", StringComparison.Ordinal))
            return new(path, false, "a partial copy of something other than a raw video: Clean never deletes it");
        if (stagedFolders.Count == 0)
            return new(path, false, "a partial copy left by an interrupted Stage: the next Stage resumes it");
        var candidates = StagedFolders.LocalCandidates(stagedFolders, real).ToList();
        return candidates.FirstOrDefault(exists) is { } source
            ? new(path, false, $"a partial copy left by an interrupted Stage of {source}: the next Stage resumes it")
            : new(
                path,
                true,
                "the partial copy of a file that no staged folder holds any more ("
                    + (candidates.Count == 0 ? "no staged folder goes there" : string.Join(", ", candidates.Take(3)))
                    + "): it was renamed or removed "
                    + "before its copy ended"
            );
    }

    /// <summary>
    /// A raw file safe to delete is kept while the results of its video (or its folder's videos) were never retrieved.
    /// </summary>
    private static CleanDecision Analysed(CleanDecision copied, RawVideos videos, Manifest retrieved, bool unanalysed)
    {
        if (!copied.Delete || unanalysed)
            return copied;
        var missing = videos
            .Of(copied.Path)
            .Select(TemporaryFiles.FeaturesFile)
            .FirstOrDefault(features => retrieved[features] is null);
        return missing is null
            ? copied
            : new(
                copied.Path,
                false,
                $"its video's results ({missing}) were never retrieved, and analysing it (or Verify --resubmit) needs "
                    + $"it here: run Retrieve once it is analysed, or Clean --unanalysed to delete it anyway"
            );
    }

    /// <summary>
    /// A temporary file belongs to the video whose features are Results/&lt;sub&gt;/&lt;b&gt;_featuresN.hdf5 (<see
    /// cref="TemporaryFiles"/>).
    /// </summary>
    private static CleanDecision Temporary(RemoteFile file, IReadOnlyDictionary<string, RemoteFile> remote)
    {
        if (TemporaryFiles.VideoOf(file.Path) is not { } video)
            return new(file.Path, false, "in the temporary folder but not Tierpsy's: kept");
        var features = TemporaryFiles.FeaturesFile(video);
        return remote.ContainsKey(features)
            ? new(file.Path, true, $"temporary file of a finished video ({features} exists)")
            : new(file.Path, false, "temporary file of a video that is not finished: Tierpsy resumes from it");
    }
}
