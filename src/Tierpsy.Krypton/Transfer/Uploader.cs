using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Cryptography;
using Tierpsy.Krypton.Remote;
using Tierpsy.Krypton.Text;

namespace Tierpsy.Krypton.Transfer;

/// <summary>A local file and where it goes below the project root on the cluster.</summary>
internal sealed record UploadItem(string LocalPath, string RemotePath);

/// <summary>What an upload did.</summary>
internal sealed record UploadReport(int Uploaded, int Skipped, long Bytes, IReadOnlyList<string> Failed)
{
    /// <summary>The files on the cluster that were replaced by different ones (with <c>--replace</c>).</summary>
    public IReadOnlyList<Replacement> Replaced { get; init; } = [];
}

/// <summary>
/// Copies files to the cluster so that nothing half-copied ever carries a real name: each file goes to
/// <c>&lt;name&gt;.krypton-partial</c> (resumed after an interruption when it holds the local file's first bytes),
/// and is renamed only after its SHA-256 on the cluster equals the local one. Files already there with the same
/// SHA-256 are skipped.
/// </summary>
internal sealed class Uploader(IRemote remote, string root, Manifest manifest, ITransferLog log, int parallel)
{
    /// <summary>Replace files on the cluster whose content differs from the local file of the same name.</summary>
    public bool Replace { get; init; }

    /// <summary>
    /// The items the manifest has unchanged (<see cref="RecordedIn"/>), where the caller has read them already; read
    /// here when null.
    /// </summary>
    public IReadOnlySet<string>? Recorded { get; init; }

    /// <summary>
    /// The cluster paths of the <paramref name="items"/> that the manifest has from the same local file, unchanged
    /// since (a stat each).
    /// </summary>
    public static IReadOnlySet<string> RecordedIn(Manifest manifest, IEnumerable<UploadItem> items) =>
        items
            .Where(i => manifest.LooksRecorded(i.RemotePath, i.LocalPath))
            .Select(i => i.RemotePath)
            .ToHashSet(StringComparer.Ordinal);

    /// <exception cref="ReplacementRefusedException">
    /// A cluster file would be replaced by a different local file and <see cref="Replace"/> is off; nothing was copied.
    /// </exception>
    public async Task<UploadReport> RunAsync(
        IReadOnlyList<UploadItem> items,
        IReadOnlyList<string> remoteFolders,
        CancellationToken ct
    )
    {
        var clock = Stopwatch.StartNew();
        // Which local files the manifest already has unchanged is read once, while the cluster lists its files.
        var listing = RemoteFiles.ListAsync(remote, root, remoteFolders, ct);
        var recorded = Recorded ?? RecordedIn(manifest, items);
        var verifier = new PartialVerifier(remote, root, parallel, ct);
        if (recorded.Count < items.Count)
            remote.PrepareCopies();
        var existing = await listing;
        // A local file is hashed before the copy only where its hash decides something first (skip it, or resume
        // its partial copy) or costs nothing (the manifest has it); any other is hashed while it is copied, so a
        // source on a network share is read once, not twice.
        var hashes = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        var sizes = items.ToDictionary(
            i => i.RemotePath,
            i => new FileInfo(i.LocalPath).Length,
            StringComparer.Ordinal
        );
        foreach (var path in recorded)
            hashes[path] = manifest[path]!.Sha256;
        // A partial copy is resumed only if it holds the local file's first bytes: a write that failed on a full
        // disk can leave a hole before bytes written later, and such a copy is copied again from the start.
        var prefixes = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        long Resumable(UploadItem i) =>
            existing.GetValueOrDefault(i.RemotePath + RemoteFiles.PartialSuffix) is { } p
            && p.Size <= sizes[i.RemotePath]
                ? p.Size
                : 0;
        var first = items.Where(i =>
            (!recorded.Contains(i.RemotePath) && existing.GetValueOrDefault(i.RemotePath)?.Size == sizes[i.RemotePath])
            || Resumable(i) > 0
        );
        await Parallel.ForEachAsync(
            first,
            new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = ct },
            async (item, token) =>
            {
                var (whole, prefix) = await FileHash.Sha256WithPrefixAsync(item.LocalPath, Resumable(item), token);
                (hashes[item.RemotePath], prefixes[item.RemotePath + RemoteFiles.PartialSuffix]) = (whole, prefix);
            }
        );
        log.Verbose(
            $"listed the cluster's files and hashed {hashes.Count} local ones first in "
                + $"{clock.Elapsed.TotalSeconds:0.0} s"
        );

        // Quick check first (size and time as verified before, like rsync's); only files of the right size that
        // fail it are hashed on the cluster, all in one command.
        bool Verified(UploadItem i) =>
            hashes.TryGetValue(i.RemotePath, out var h)
            && existing.GetValueOrDefault(i.RemotePath) is { } r
            && manifest[i.RemotePath] is { } e
            && e.Sha256 == h
            && e.RemoteLooksUnchanged(r);
        var unsure = items
            .Where(i => !Verified(i) && existing.GetValueOrDefault(i.RemotePath)?.Size == sizes[i.RemotePath])
            .Select(i => i.RemotePath)
            .ToHashSet(StringComparer.Ordinal);
        existing = await RemoteFiles.HashAsync(
            remote,
            root,
            existing,
            f => unsure.Contains(f.Path) || prefixes.ContainsKey(f.Path),
            ct,
            includePartials: true
        );
        var todo = items
            .Where(i =>
                !Verified(i)
                && (
                    !hashes.TryGetValue(i.RemotePath, out var h)
                    || existing.GetValueOrDefault(i.RemotePath)?.Sha256 != h
                )
            )
            .ToList();
        // A file under its real name that is to be copied again differs from the local one: never replaced unasked.
        var replacing = todo.Where(i => existing.ContainsKey(i.RemotePath))
            .Select(i => new Replacement(i.RemotePath, i.LocalPath, manifest[i.RemotePath]?.LocalPath))
            .ToList();
        if (replacing.Count > 0 && !Replace)
            throw new ReplacementRefusedException(replacing);
        // Files that passed the quick check from the same source keep their entries as they are (and when they were
        // verified).
        foreach (var done in items.Except(todo).Where(i => !(Verified(i) && recorded.Contains(i.RemotePath))))
            Record(done, hashes[done.RemotePath], existing[done.RemotePath].Modified);
        var progress = new TransferProgress(log, "Stage", todo.Count, todo.Sum(i => sizes[i.RemotePath]));
        var failed = new List<string>();
        var changed = new ConcurrentBag<UploadItem>();
        // Small files go in a few archives; a partial copy to resume, or a large file, is copied on its own.
        var batched = todo.Where(i =>
                SmallFileBatches.Suits(i.RemotePath, sizes[i.RemotePath])
                && !existing.ContainsKey(i.RemotePath + RemoteFiles.PartialSuffix)
            )
            .ToList();
        BatchReport? batches = null;
        async Task CopyBatchesAsync() =>
            batches = await new SmallFileBatches(remote, root, log).RunAsync(
                batched,
                sizes,
                hashes,
                StagingMoves.FoldersOf(existing.Keys),
                progress,
                ct
            );
        var copy = progress.RunAsync(() =>
            Task.WhenAll(CopyBatchesAsync(), CopyOneByOneAsync(todo.Except(batched).ToList()))
        );
        Task CopyOneByOneAsync(List<UploadItem> single) =>
            Parallel.ForEachAsync(
                single,
                new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, parallel), CancellationToken = ct },
                async (item, token) =>
                {
                    var before = new FileInfo(item.LocalPath);
                    var (size, modified) = (before.Length, before.LastWriteTimeUtc);
                    var partial = item.RemotePath + RemoteFiles.PartialSuffix;
                    var offset = Resumable(item);
                    if (offset > 0 && existing[partial].Sha256 != prefixes.GetValueOrDefault(partial))
                    {
                        log.Verbose(
                            $"copying {item.RemotePath} again from the start: its partial copy on the cluster is not "
                                + $"the local file's first {offset} bytes"
                        );
                        offset = 0;
                    }
                    if (offset > 0)
                    {
                        log.Verbose($"resuming {item.RemotePath} at byte {offset}");
                        progress.Resumed(offset);
                    }
                    using var hashing = hashes.ContainsKey(item.RemotePath)
                        ? null
                        : IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                    await remote.UploadAsync(
                        item.LocalPath,
                        RemotePath.Combine(root, partial),
                        offset,
                        sent => progress.Report(item.RemotePath, sent),
                        hashing,
                        token
                    );
                    if (hashing is not null)
                        hashes[item.RemotePath] = Convert.ToHexStringLower(hashing.GetHashAndReset());
                    var after = new FileInfo(item.LocalPath);
                    if (after.Length != size || after.LastWriteTimeUtc != modified)
                        changed.Add(item);
                    else
                        verifier.Add(item.RemotePath, hashes[item.RemotePath], size);
                    progress.Completed(item.RemotePath, size - offset);
                }
            );
        IReadOnlyDictionary<string, long?> verified;
        var discarded = false;
        try
        {
            await copy;
            log.Verbose($"copied at {clock.Elapsed.TotalSeconds:0.0} s");
        }
        finally
        {
            // What was copied before a failure is still verified and kept, so the next run starts after it.
            verified = WithBatches(
                await (copy.IsCompletedSuccessfully ? verifier.CompleteAsync() : CompleteQuietlyAsync(verifier)),
                batches
            );
            foreach (var item in batches?.Changed ?? [])
                changed.Add(item);
            progress.Finish();
            log.Verbose($"copied and verified at {clock.Elapsed.TotalSeconds:0.0} s");
            // The verifier read each file's time on the cluster with its hash, so no listing is needed here.
            foreach (var item in todo)
                if (verified.GetValueOrDefault(item.RemotePath) is { } remoteModified)
                    Record(item, hashes[item.RemotePath], remoteModified);
            manifest.Save();
            discarded = await DiscardAsync(changed, ct);
        }

        foreach (var item in changed.OrderBy(i => i.LocalPath, StringComparer.Ordinal))
            failed.Add(
                discarded
                    ? $"{item.LocalPath} changed while it was copied, so its partial copy on the cluster was "
                        + $"discarded; run Stage again once it is complete"
                    : $"{item.LocalPath} changed while it was copied, so it was not given its name on the cluster; "
                        + $"run Stage again once it is complete (its partial copy is checked then)"
            );

        foreach (var path in verifier.Unhashed)
            failed.Add(
                $"{path}: the cluster could not compute the SHA-256 of its copy (unreadable, gone, or the disk is "
                    + $"full), so it was kept as a partial copy; run Stage again to check it again"
            );
        foreach (var path in batches?.Unplaced ?? [])
            failed.Add(
                $"{path}: its copy on the cluster was verified but could not be moved into place; run Stage again"
            );
        foreach (var path in verified.Where(v => v.Value is null).Select(v => v.Key))
            failed.Add(
                $"{path}: its SHA-256 on the cluster differs from the local file, so the copy was discarded; run "
                    + $"Stage again"
            );
        var uploaded = verified.Count(v => v.Value is not null);
        return new UploadReport(uploaded, items.Count - todo.Count, todo.Sum(i => sizes[i.RemotePath]), failed)
        {
            Replaced = replacing,
        };
    }

    /// <summary>
    /// Deletes the partial copies of files that changed while they were copied: whatever the change was (appended,
    /// or rewritten in place), the next run copies them from the start. False when that failed (the cluster cannot be
    /// reached now): the next run then resumes them, and its verification discards a copy that no longer matches.
    /// </summary>
    private async Task<bool> DiscardAsync(IReadOnlyCollection<UploadItem> changed, CancellationToken ct)
    {
        if (changed.Count == 0)
            return true;
        try
        {
            var removed = await RemoteFiles.DeleteAsync(
                remote,
                root,
                changed.Select(i => i.RemotePath + RemoteFiles.PartialSuffix).ToList(),
                CommandTimeouts.Scan,
                ct
            );
            if (removed.ExitCode == 0)
                return true;
            log.Verbose($"could not delete the partial copies of files that changed: {removed.Error.Trim()}");
        }
        catch (Exception e) when (e is RemoteException or OperationCanceledException)
        {
            log.Verbose($"could not delete the partial copies of files that changed: {e.Message}");
        }
        return false;
    }

    /// <summary>The verifier's and the batches' results: each file's time on the cluster, null if discarded.</summary>
    private static IReadOnlyDictionary<string, long?> WithBatches(
        IReadOnlyDictionary<string, long?> verified,
        BatchReport? batches
    )
    {
        if (batches is null)
            return verified;
        var all = new Dictionary<string, long?>(verified, StringComparer.Ordinal);
        foreach (var (path, modified) in batches.Verified)
            all[path] = modified;
        foreach (var path in batches.Rejected)
            all[path] = null;
        return all;
    }

    private static async Task<IReadOnlyDictionary<string, long?>> CompleteQuietlyAsync(PartialVerifier verifier)
    {
        try
        {
            return await verifier.CompleteAsync();
        }
        catch (Exception e) when (e is RemoteException or OperationCanceledException)
        {
            return new Dictionary<string, long?>();
        }
    }

    private void Record(UploadItem item, string sha256, long remoteModified)
    {
        var info = new FileInfo(item.LocalPath);
        manifest.Set(
            new ManifestEntry(
                item.RemotePath,
                info.Length,
                sha256,
                item.LocalPath,
                info.LastWriteTimeUtc,
                DateTimeOffset.UtcNow,
                ManifestEntry.Seconds(remoteModified)
            )
        );
    }
}
