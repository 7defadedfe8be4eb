using Tierpsy.Krypton.Remote;
using Tierpsy.Krypton.Targets;

namespace Tierpsy.Krypton.Transfer;

/// <summary>A local file and where it goes below the project root on the cluster.</summary>
public sealed record UploadItem(string LocalPath, string RemotePath);

/// <summary>What an upload did.</summary>
public sealed record UploadReport(int Uploaded, int Skipped, long Bytes, IReadOnlyList<string> Failed);

/// <summary>
/// Copies files to the cluster so that nothing half-copied ever carries a real name: each file goes to
/// <c>&lt;name&gt;.krypton-partial</c> (resumed from its current size after an interruption), and is renamed only
/// after its SHA-256 on the cluster equals the local one. Files already there with the same SHA-256 are skipped.
/// </summary>
internal sealed class Uploader(IRemote remote, string root, Manifest manifest, BuildLog log, int parallel)
{
    public async Task<UploadReport> RunAsync(IReadOnlyList<UploadItem> items, IEnumerable<string> remoteFolders, CancellationToken ct)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var existing = await RemoteFiles.ListAsync(remote, root, remoteFolders, ct);
        log.Verbose($"listed the cluster's files in {clock.Elapsed.TotalSeconds:0.0} s");
        var hashes = new System.Collections.Concurrent.ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        await Parallel.ForEachAsync(items, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = ct },
            async (item, token) => hashes[item.RemotePath] = await manifest.HashAsync(item.RemotePath, item.LocalPath, token));
        log.Verbose($"hashed the local files at {clock.Elapsed.TotalSeconds:0.0} s");

        // Quick check first (size and time as verified before, like rsync's); only files of the right size that
        // fail it are hashed on the cluster, all in one command.
        bool Verified(UploadItem i) => existing.GetValueOrDefault(i.RemotePath) is { } r && manifest[i.RemotePath] is { } e && e.Sha256 == hashes[i.RemotePath] && e.RemoteLooksUnchanged(r);
        var sizes = items.ToDictionary(i => i.RemotePath, i => new FileInfo(i.LocalPath).Length, StringComparer.Ordinal);
        var unsure = items.Where(i => !Verified(i) && existing.GetValueOrDefault(i.RemotePath)?.Size == sizes[i.RemotePath]).Select(i => i.RemotePath).ToHashSet(StringComparer.Ordinal);
        existing = await RemoteFiles.HashAsync(remote, root, existing, f => unsure.Contains(f.Path), ct);
        var todo = items.Where(i => !Verified(i) && existing.GetValueOrDefault(i.RemotePath)?.Sha256 != hashes[i.RemotePath]).ToList();
        foreach (var done in items.Except(todo)) Record(done, hashes[done.RemotePath], existing[done.RemotePath].Modified);
        var progress = new TransferProgress(log, "Stage", todo.Count, todo.Sum(i => new FileInfo(i.LocalPath).Length));
        var failed = new List<string>();
        await progress.RunAsync(() => Parallel.ForEachAsync(todo, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, parallel), CancellationToken = ct }, async (item, token) =>
        {
            var before = new FileInfo(item.LocalPath);
            var (size, modified) = (before.Length, before.LastWriteTimeUtc);
            var partial = item.RemotePath + RemoteFiles.PartialSuffix;
            var offset = existing.GetValueOrDefault(partial) is { } p && p.Size <= size ? p.Size : 0;
            if (offset > 0) log.Verbose($"resuming {item.RemotePath} at byte {offset}");
            await remote.UploadAsync(item.LocalPath, RemotePath.Combine(root, partial), offset, sent => progress.Report(item.RemotePath, offset + sent), token);
            var after = new FileInfo(item.LocalPath);
            if (after.Length != size || after.LastWriteTimeUtc != modified)
            {
                lock (failed) failed.Add($"{item.LocalPath} changed while it was copied; run Stage again once it is complete");
                hashes.TryRemove(item.RemotePath, out _);
            }
            progress.Completed(item.RemotePath, size - offset);
        }));
        progress.Finish();
        log.Verbose($"copied at {clock.Elapsed.TotalSeconds:0.0} s");

        var verify = todo.Where(i => hashes.ContainsKey(i.RemotePath)).ToList();
        var uploaded = 0;
        if (verify.Count > 0)
        {
            var results = await VerifyAndRenameAsync(verify.Select(i => (hashes[i.RemotePath], i.RemotePath)).ToList(), ct);
            foreach (var item in verify)
            {
                if (results.GetValueOrDefault(item.RemotePath) is { } modified)
                {
                    Record(item, hashes[item.RemotePath], modified);
                    uploaded++;
                }
                else failed.Add($"{item.RemotePath}: its SHA-256 on the cluster differs from the local file, so the copy was discarded; run Stage again");
            }
        }
        log.Verbose($"verified on the cluster at {clock.Elapsed.TotalSeconds:0.0} s");
        manifest.Save();
        return new UploadReport(uploaded, items.Count - todo.Count, todo.Sum(i => new FileInfo(i.LocalPath).Length), failed);
    }

    /// <summary>
    /// Hashes every partial copy on the cluster (one parallel command), renames those whose SHA-256 equals the local
    /// one and deletes the others (one command, so the next run copies them again from the start), then reads the
    /// renamed files' times (one command). Lists go as files, so any number of files fit.
    /// </summary>
    /// <returns>The modification time of each file that was verified and renamed, by path.</returns>
    private async Task<Dictionary<string, string>> VerifyAndRenameAsync(IReadOnlyList<(string Sha256, string Path)> files, CancellationToken ct)
    {
        var partials = files.ToDictionary(f => f.Path + RemoteFiles.PartialSuffix, f => new RemoteFile(f.Path + RemoteFiles.PartialSuffix, 0, "", null), StringComparer.Ordinal);
        var hashed = await RemoteFiles.HashAsync(remote, root, partials, hash: null, ct, includePartials: true);
        var good = files.Where(f => hashed[f.Path + RemoteFiles.PartialSuffix].Sha256 == f.Sha256).Select(f => f.Path).ToList();
        var bad = files.Select(f => f.Path).Except(good).ToList();
        foreach (var path in bad) log.Verbose($"SHA-256 of {path} on the cluster differs from the local file");

        var list = RemotePath.Combine(root, $".krypton-rename-{Guid.NewGuid():N}.list");
        await remote.WriteTextAsync(list, string.Concat(good.Select(p => $"R\0{p}\0").Concat(bad.Select(p => $"D\0{p}\0"))), ct);
        var rename = $"cd {ShellQuote.Path(root)} && while IFS= read -r -d '' a && IFS= read -r -d '' f; do " +
                     $"if [ \"$a\" = R ]; then mv -f -- \"$f{RemoteFiles.PartialSuffix}\" \"$f\"; else rm -f -- \"$f{RemoteFiles.PartialSuffix}\"; fi; done < {ShellQuote.Path(list)}; " +
                     $"rm -f -- {ShellQuote.Path(list)}";
        var renamed = await remote.RunAsync(rename, TimeSpan.FromHours(1), ct);
        if (renamed.ExitCode != 0)
            throw new RemoteException($"Renaming the verified copies on {remote.Description} failed: {renamed.Error.Trim()}. Run Stage again; it resumes.");
        var folders = good.Select(p => p.Split('/')[0]).Distinct().ToList();
        var listed = folders.Count == 0 ? new Dictionary<string, RemoteFile>() : await RemoteFiles.ListAsync(remote, root, folders, ct);
        return good.Where(listed.ContainsKey).ToDictionary(p => p, p => listed[p].Modified, StringComparer.Ordinal);
    }

    private void Record(UploadItem item, string sha256, string remoteModified)
    {
        var info = new FileInfo(item.LocalPath);
        manifest.Set(new ManifestEntry(item.RemotePath, info.Length, sha256, item.LocalPath, info.LastWriteTimeUtc, DateTimeOffset.UtcNow, remoteModified));
    }
}
