using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Cryptography;
using Tierpsy.Krypton.Remote;
using Tierpsy.Krypton.Text;

namespace Tierpsy.Krypton.Transfer;

/// <summary>What a download did.</summary>
/// <param name="Downloaded">Files copied in this run.</param>
/// <param name="Skipped">Files already here with the same SHA-256.</param>
/// <param name="Bytes">Bytes copied.</param>
/// <param name="Failed">Why each file that could not be copied failed.</param>
/// <param name="Paths">The paths (below the root) copied in this run.</param>
internal sealed record DownloadReport(
    int Downloaded,
    int Skipped,
    long Bytes,
    IReadOnlyList<string> Failed,
    IReadOnlyList<string> Paths
);

/// <summary>
/// Copies cluster files here: each goes to <c>&lt;name&gt;.krypton-partial</c> (resumed from its current size),
/// and takes its real name only when its local SHA-256 equals the one computed on the cluster in the same run.
/// </summary>
internal sealed class Downloader(IRemote remote, string root, Manifest manifest, ITransferLog log, int parallel)
{
    /// <summary>
    /// How many files download at once: <paramref name="transfers"/>, but at most one per two cores here. Each
    /// download has its own connection, decrypted on its own thread and written and hashed on another, so more only
    /// compete for the cores: on 2 cores four at a time were slower than one at a time (docs/benchmarks.md,
    /// "Design measurements").
    /// </summary>
    public static int AtOnce(int transfers, int cores) => Math.Clamp(cores / 2, 1, Math.Max(1, transfers));

    /// <summary>Files up to this size travel in tar batches (<see cref="SmallFileDownloads"/>); 0 for none.</summary>
    internal long BatchedUpTo { get; init; } = SmallFileBatches.SmallFile;

    /// <summary>How many files one of those batches holds at most.</summary>
    internal int FilesPerBatch { get; init; } = SmallFileDownloads.BatchFiles;

    /// <summary>
    /// The partial copies here that hold the cluster file's first bytes, by path, each with its length and a SHA-256
    /// of those bytes that the resumed copy goes on with, so they are read once. Each other partial copy (a write
    /// that failed half way, a file changed on the cluster since) is deleted, so that it is copied again from the
    /// start in this run rather than resumed, found wrong after the copy and discarded for the next run. Both sides
    /// hash at once; one command there.
    /// </summary>
    private async Task<ConcurrentDictionary<string, (long Length, IncrementalHash Hash)>> ResumablePartialsAsync(
        IReadOnlyList<RemoteFile> files,
        string destination,
        CancellationToken ct
    )
    {
        var resumable = new ConcurrentDictionary<string, (long, IncrementalHash)>(StringComparer.Ordinal);
        var partials = files
            .Select(f => (File: f, Partial: Path.Combine(destination, f.Path) + RemoteFiles.PartialSuffix))
            .Where(p => File.Exists(p.Partial))
            .Select(p => (p.File, p.Partial, Length: new FileInfo(p.Partial).Length))
            .Where(p => p.Length > 0 && p.Length <= p.File.Size)
            .ToList();
        if (partials.Count == 0)
            return resumable;
        var here = Task.WhenAll(partials.Select(p => FileHash.ContinuableAsync(p.Partial, ct)));
        var there = await RemoteFiles.PrefixHashesAsync(
            remote,
            root,
            [.. partials.Select(p => (p.File.Path, p.Length))],
            ct
        );
        var hashes = await here;
        for (var i = 0; i < partials.Count; i++)
        {
            if (there.GetValueOrDefault(partials[i].File.Path) == Convert.ToHexStringLower(hashes[i].GetCurrentHash()))
            {
                resumable[partials[i].File.Path] = (partials[i].Length, hashes[i]);
                continue;
            }
            hashes[i].Dispose();
            log.Info(
                $"{partials[i].File.Path}: the partial copy here does not hold the cluster file's first "
                    + $"{partials[i].Length} bytes; it is copied again from the start."
            );
            File.Delete(partials[i].Partial);
        }
        return resumable;
    }

    public async Task<DownloadReport> RunAsync(IReadOnlyList<string> folders, string destination, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        SmallFileDownloads.RemoveLeftoverArchives(destination, DateTime.UtcNow);
        var listed = await RemoteFiles.ListAsync(remote, root, folders, ct);
        // Quick check: unchanged here and on the cluster since it was verified (size and time on both sides).
        bool Verified(RemoteFile f) =>
            manifest[f.Path] is { } e
            && e.RemoteLooksUnchanged(f)
            && e.LocalPath == Path.Combine(destination, f.Path)
            && e.LocalLooksUnchanged();
        var files = listed
            .Values.Where(f => !f.Path.EndsWith(RemoteFiles.PartialSuffix, StringComparison.Ordinal))
            .OrderBy(f => f.Path, StringComparer.Ordinal)
            .ToList();
        var todo = files.Where(f => !Verified(f)).ToList();
        if (todo.Count > 0)
            remote.PrepareCopies();
        // The cluster hashes while the copies run; each copy is compared when both are done.
        var hashing = RemoteFiles.HashAsync(remote, root, listed, f => !Verified(f), ct);
        _ = hashing.ContinueWith(
            _ => log.Verbose($"the cluster hashed {todo.Count} files at {clock.Elapsed.TotalSeconds:0.0} s"),
            CancellationToken.None,
            TaskContinuationOptions.OnlyOnRanToCompletion,
            TaskScheduler.Default
        );
        log.Verbose($"listed {files.Count} files in {clock.Elapsed.TotalSeconds:0.0} s; {todo.Count} to check or copy");

        var progress = new TransferProgress(log, "Retrieve", todo.Count, todo.Sum(f => f.Size));
        var failed = new List<string>();
        var downloaded = new List<string>();
        var present = 0;
        // A copy whose cluster hash is not known yet waits here, not in its download slot: the next file downloads
        // meanwhile instead of waiting until the cluster has hashed everything.
        var unverified = new ConcurrentQueue<(RemoteFile File, string Partial, string Local, string Copy)>();
        // Small files not here at all travel in a few archives; the others are copied one by one.
        var batched = todo.Where(f =>
                f.Size <= BatchedUpTo
                && SmallFileBatches.Suits(f.Path, f.Size)
                && !File.Exists(Path.Combine(destination, f.Path))
                && !File.Exists(Path.Combine(destination, f.Path) + RemoteFiles.PartialSuffix)
            )
            .ToList();
        void Copied(RemoteFile file, string partial, string local, string copy)
        {
            if (hashing.IsCompletedSuccessfully)
                Verify(file, partial, local, copy, hashing.Result[file.Path].Sha256);
            else
                unverified.Enqueue((file, partial, local, copy));
        }
        async Task CopyBatchesAsync()
        {
            var unread = await new SmallFileDownloads(remote, root, destination, log)
            {
                FilesPerBatch = FilesPerBatch,
            }.RunAsync(batched, progress, Copied, ct);
            lock (failed)
                failed.AddRange(
                    unread.Select(p =>
                        $"{p}: the cluster could not read it for the copy (deleted or unreadable); run Retrieve again"
                    )
                );
        }
        // Files not here yet go first: they need no cluster hash to start.
        var order = todo.Except(batched).OrderBy(f => File.Exists(Path.Combine(destination, f.Path))).ToList();
        var resumable = await ResumablePartialsAsync(order, destination, ct);
        var copies = progress.RunAsync(() => Task.WhenAll(CopyBatchesAsync(), CopyOneByOneAsync()));
        Task CopyOneByOneAsync() =>
            Parallel.ForEachAsync(
                order,
                new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, parallel), CancellationToken = ct },
                async (file, token) =>
                {
                    var local = Path.Combine(destination, file.Path);
                    if (
                        File.Exists(local)
                        && new FileInfo(local).Length == file.Size
                        && (await hashing)[file.Path].Sha256 is { } known
                        && await manifest.HashAsync(file.Path, local, token) == known
                    )
                    {
                        Record(file with { Sha256 = known }, local);
                        Interlocked.Increment(ref present);
                        progress.Present(file.Size);
                        return;
                    }
                    var partial = local + RemoteFiles.PartialSuffix;
                    // The partial copies ResumablePartialsAsync kept are resumed; any other is written over.
                    var (offset, resumed) = resumable.TryRemove(file.Path, out var held) ? held : (0, null);
                    if (offset > 0)
                    {
                        log.Verbose($"resuming {file.Path} at byte {offset}");
                        progress.Resumed(offset);
                    }
                    string copy;
                    try
                    {
                        // The copy is hashed as it is written, a resumed one after the bytes that were here.
                        using var hash = resumed ?? IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                        await remote.DownloadAsync(
                            RemotePath.Combine(root, file.Path),
                            partial,
                            offset,
                            got => progress.Report(file.Path, got),
                            hash,
                            token
                        );
                        copy = Convert.ToHexStringLower(hash.GetHashAndReset());
                    }
                    catch (Exception e) when (IsLocalWriteFailure(e))
                    {
                        throw LocalWriteFailure(partial, e);
                    }
                    Copied(file, partial, local, copy);
                    progress.Completed(file.Path, file.Size - offset);
                }
            );
        try
        {
            await copies;
        }
        catch
        {
            // The copies' error is the one to report; the cluster's hashing may fail too (same lost connection).
            // Copies already made keep their names if the cluster's hashes are there; otherwise the next run resumes
            // them.
            if (hashing.IsCompletedSuccessfully)
                VerifyWaiting(hashing.Result);
            _ = hashing.ContinueWith(
                t => t.Exception,
                CancellationToken.None,
                TaskContinuationOptions.OnlyOnFaulted,
                TaskScheduler.Default
            );
            throw;
        }
        finally
        {
            // The hashes of partial copies no copy took up: their file was here already, or the copies stopped.
            foreach (var (_, held) in resumable.Values)
                held.Dispose();
        }
        VerifyWaiting(await hashing);
        progress.Finish();
        log.Verbose($"copied and verified at {clock.Elapsed.TotalSeconds:0.0} s");
        manifest.Save();
        var copied = downloaded.ToHashSet(StringComparer.Ordinal);
        return new DownloadReport(
            downloaded.Count,
            files.Count - todo.Count + present,
            files.Where(f => copied.Contains(f.Path)).Sum(f => f.Size),
            failed,
            downloaded
        );

        void VerifyWaiting(IReadOnlyDictionary<string, RemoteFile> hashed)
        {
            while (unverified.TryDequeue(out var c))
                Verify(c.File, c.Partial, c.Local, c.Copy, hashed[c.File.Path].Sha256);
        }

        // The copy takes its real name only when its SHA-256 equals the cluster's; otherwise it is discarded.
        void Verify(RemoteFile file, string partial, string local, string copy, string? expected)
        {
            if (expected is not null && copy == expected)
            {
                File.Move(partial, local, overwrite: true);
                Record(file with { Sha256 = expected }, local);
                lock (downloaded)
                    downloaded.Add(file.Path);
            }
            else
            {
                File.Delete(partial);
                lock (failed)
                    failed.Add(
                        expected is null
                            ? $"{file.Path}: the cluster could not hash it (it may have been deleted or be "
                                + $"unreadable); the copy was discarded, run Retrieve again"
                            : $"{file.Path}: the copy's SHA-256 differs from the cluster's (the file may have changed "
                                + $"during the transfer); it was discarded, run Retrieve again"
                    );
            }
        }
    }

    /// <summary>Whether a copy failed because this computer could not write (full disk, no permission).</summary>
    internal static bool IsLocalWriteFailure(Exception e) =>
        e is IOException and not FileNotFoundException or UnauthorizedAccessException;

    /// <summary>A write failure here, with what to do.</summary>
    internal static IOException LocalWriteFailure(string path, Exception e) =>
        new(
            $"Could not write {path} on this computer ({e.Message}). The disk may be full or the folder not writable: "
                + "free space here (or fix its permissions), then run Retrieve again: it resumes where it stopped.",
            e
        );

    private void Record(RemoteFile file, string local) =>
        manifest.Set(
            new ManifestEntry(
                file.Path,
                file.Size,
                file.Sha256!,
                local,
                new FileInfo(local).LastWriteTimeUtc,
                DateTimeOffset.UtcNow,
                ManifestEntry.Seconds(file.Modified)
            )
        );
}
