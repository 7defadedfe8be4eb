using Tierpsy.Krypton.Remote;
using Tierpsy.Krypton.Targets;
using Tierpsy.Krypton.Transfer;

namespace Tierpsy.Krypton.Workflow;

public abstract partial class TierpsyBuild
{
    /// <summary>Clean: really delete (without it, Clean only says what it would delete).</summary>
    [Parameter("Clean: really delete what is verified (without it, only print the plan)")]
    public bool Confirm { get; set; }

    /// <summary>
    /// Clean: compare local copies by size and time only instead of a fresh SHA-256. Faster, but a local copy damaged
    /// in place (same size and time) passes, and its cluster copy, perhaps the last good one, is deleted.
    /// </summary>
    [Parameter(
        "Clean: compare local copies by size and time only, not a fresh SHA-256 "
            + "(a copy damaged in place then passes)"
    )]
    public bool QuickCheck { get; set; }

    /// <summary>Clean: also delete staged raw videos whose results were never retrieved.</summary>
    [Parameter(
        "Clean: also delete staged raw videos whose results were never retrieved (they must be staged again to be "
            + "analysed)"
    )]
    public bool Unanalysed { get; set; }

    /// <summary>
    /// Deletes from the cluster only what is verified to be stored locally (--confirm), never while a task of the
    /// project runs.
    /// </summary>
    public virtual Target Clean =>
        _ =>
            _.Description("Deletes from the cluster only what is verified to be stored locally (--confirm)")
                .After(Retrieve)
                .Executes(ct =>
                    ResumingAsync(
                        "Clean",
                        async () =>
                        {
                            await using var transfers = await LockTransfersAsync("Clean", ct);
                            var remote = await ConnectAsync(ct);
                            var layout = await LayoutAsync(ct);
                            // A task still queued or running reads raw videos and writes results and Tmp/: deleting
                            // under it breaks it.
                            if (await ActiveTasksAsync(remote, ct) is { Submissions.Count: > 0 } busy)
                            {
                                if (Confirm)
                                    throw new InvalidOperationException(
                                        $"Tasks are still queued or running on the cluster: {busy}. They read the raw "
                                            + $"videos and "
                                            + "write results, so Clean deletes nothing while they run. Wait for them "
                                            + "(Monitor), or cancel "
                                            + "them, then run Clean --confirm again. Nothing was deleted."
                                            + busy.UnknownHint
                                    );
                                Log.Warning(
                                    $"Tasks are still queued or running: {busy}. Clean --confirm will refuse until "
                                        + $"they have ended."
                                );
                            }
                            // Clean proves each deletion with a fresh SHA-256 on the cluster: no quick check here.
                            var files = await RemoteFiles.HashAsync(
                                remote,
                                layout.Root,
                                await RemoteFiles.ListAsync(
                                    remote,
                                    layout.Root,
                                    ["RawVideos", "MaskedVideos", "Results", "Tmp"],
                                    ct
                                ),
                                hash: null,
                                ct
                            );
                            var decisions = await CleanPlan.DecideAsync(
                                files,
                                Manifest.Load(State.Folder / "retrieve-manifest.json"),
                                Manifest.Load(State.Folder / "stage-manifest.json"),
                                entry => entry.LocalMatchesAsync(rehash: !QuickCheck, ct),
                                Pattern,
                                Unanalysed,
                                QuickCheck,
                                State.StagedSources(),
                                reanalysed: State
                                    .All()
                                    .Where(s => s.FromMasked)
                                    .SelectMany(s => s.Videos)
                                    .Where(v => v.StartsWith(layout.Root + "/", StringComparison.Ordinal))
                                    .Select(v => v[(layout.Root.Length + 1)..])
                                    .ToHashSet(StringComparer.Ordinal)
                            );
                            var helpers = await RemoteFiles.LeftoverHelpersAsync(remote, layout.Root, ct);

                            var verb = Confirm ? "delete" : "would delete";
                            foreach (var kept in decisions.Where(d => !d.Delete))
                                Log.Info($"keep    {kept.Path}: {kept.Reason}");
                            foreach (var deleted in decisions.Where(d => d.Delete))
                                Log.Info($"{verb}  {deleted.Path}: {deleted.Reason}");
                            foreach (var helper in helpers)
                                Log.Info($"{verb}  {helper}: a helper file of an earlier run that was cut off");
                            var doomed = decisions.Where(d => d.Delete).Select(d => d.Path).ToList();
                            if (!Confirm)
                            {
                                Log.Success(
                                    $"Clean would delete {doomed.Count} files and keep {decisions.Count - doomed.Count}"
                                        + (
                                            helpers.Count > 0
                                                ? $", and remove {helpers.Count} leftover helper files"
                                                : ""
                                        )
                                        + ". Nothing was deleted; run Clean --confirm to delete them."
                                );
                                return;
                            }
                            if (
                                helpers.Count > 0
                                && (await RemoteFiles.RemoveHelpersAsync(remote, layout.Root, helpers, ct))
                                    is { ExitCode: not 0 } failed
                            )
                                Log.Warning($"Removing the leftover helper files failed: {failed.All.Trim()}");
                            if (doomed.Count == 0)
                            {
                                Log.Success(
                                    "Nothing to delete"
                                        + (
                                            helpers.Count > 0
                                                ? $" (removed {helpers.Count} leftover helper files)."
                                                : "."
                                        )
                                );
                                return;
                            }
                            // Hashing a large project takes minutes: a file Tierpsy writes again meanwhile is not
                            // deleted.
                            var deletion = await RemoteFiles.DeleteUnchangedAsync(
                                remote,
                                layout.Root,
                                doomed.Select(p => files[p]).ToList(),
                                CommandTimeouts.Tree,
                                ct
                            );
                            foreach (var changed in deletion.Changed)
                                Log.Warning(
                                    $"kept {changed}: it changed on the cluster (or went away) while Clean ran, so it "
                                        + $"is not the file that was verified. Run Retrieve (or Stage) again, then "
                                        + $"Clean."
                                );
                            if (deletion.Result.ExitCode != 0)
                                throw new RemoteException(
                                    $"Deleting on the cluster failed (exit code {deletion.Result.ExitCode}): "
                                        + $"{deletion.Result.Error.Trim()}. Run Clean again; it only deletes what is "
                                        + $"still verified."
                                )
                                {
                                    Reason = RemoteFailure.CommandFailed,
                                    ExitCode = deletion.Result.ExitCode,
                                };
                            var gone = doomed.Except(deletion.Changed).ToList();
                            var emptied = await RemoteFiles.RemoveEmptiedFoldersAsync(remote, layout.Root, gone, ct);
                            Log.Success(
                                $"Deleted {gone.Count} verified files on the cluster and the {emptied.Count} folders "
                                    + $"they "
                                    + $"left empty; kept {decisions.Count - doomed.Count + deletion.Changed.Count}."
                            );
                        },
                        ct
                    )
                );
}
