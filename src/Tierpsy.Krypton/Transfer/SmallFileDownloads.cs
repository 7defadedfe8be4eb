using System.Diagnostics;
using System.Formats.Tar;
using System.Security.Cryptography;
using Microsoft.Win32.SafeHandles;
using Tierpsy.Krypton.Remote;
using Tierpsy.Krypton.Text;

namespace Tierpsy.Krypton.Transfer;

/// <summary>
/// Copies many small cluster files here as a few tar archives instead of one SFTP round trip per file: the cluster
/// packs a batch (<c>tar -c</c> from a list of names) into one file below the root, that file is downloaded and
/// deleted there, and each of its entries is written here to its <c>.krypton-partial</c> copy and hashed as it is
/// written. Only entries of the requested names are read, so an archive never writes anywhere else. The copies are
/// handed to the caller, which gives each its real name once its SHA-256 equals the cluster's.
/// </summary>
internal sealed class SmallFileDownloads(IRemote remote, string root, string destination, ITransferLog log)
{
    /// <summary>How much one batch holds at most, so a failed batch costs little to copy again.</summary>
    private const long BatchBytes = 64L << 20;

    /// <summary>
    /// How many files one batch holds at most: the cluster packs the next batch while this computer writes the files
    /// of one, so only the first batch's packing is waited for.
    /// </summary>
    internal const int BatchFiles = 2_500;

    /// <summary>How many files one batch holds at most (<see cref="BatchFiles"/> unless told).</summary>
    public int FilesPerBatch { get; init; } = BatchFiles;

    /// <summary>
    /// Copies the files; for each copy made, calls <paramref name="copied"/> with the file, its partial copy here,
    /// where it goes, and the copy's SHA-256. Returns the files the cluster could not pack (gone or unreadable).
    /// </summary>
    public async Task<IReadOnlyList<string>> RunAsync(
        IReadOnlyList<RemoteFile> files,
        TransferProgress progress,
        Action<RemoteFile, string, string, string> copied,
        CancellationToken ct
    )
    {
        var missing = new List<string>();
        var batches = SizeBatches
            .Of(files, f => f.Size, BatchBytes)
            .SelectMany(b => b.Chunk(Math.Max(1, FilesPerBatch)))
            .Select(b => b.ToList())
            .ToList();
        Task<PackedBatch>? next = batches.Count > 0 ? PackAsync(batches[0], 1, progress, ct) : null;
        try
        {
            for (var i = 0; i < batches.Count; i++)
            {
                var packed = await next!;
                next = i + 1 < batches.Count ? PackAsync(batches[i + 1], i + 2, progress, ct) : null;
                try
                {
                    missing.AddRange(await UnpackBatchAsync(packed, progress, copied, ct));
                }
                finally
                {
                    await DeleteAsync(packed);
                }
            }
        }
        catch when (next is not null)
        {
            await DeleteAheadAsync(next);
            throw;
        }
        return missing;
    }

    /// <summary>
    /// After a failure, deletes the batch packed ahead once its packing has ended (a packing that failed deleted its
    /// own files). The failure is the error to report; one here (the same lost connection, say) is not.
    /// </summary>
    private async Task DeleteAheadAsync(Task<PackedBatch> ahead)
    {
        try
        {
            await DeleteAsync(await ahead);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Its archive stays where the cluster packed it (.krypton-batch-*.tar below the root), as after any lost
            // connection; Clean removes it once it is an hour old.
        }
    }

    /// <summary>
    /// Deletes the archives a cut-off Retrieve left in <paramref name="destination"/> (each batch has a name of its
    /// own, so none is ever resumed); only those over an hour old, so a Retrieve into the same folder now keeps its.
    /// </summary>
    public static void RemoveLeftoverArchives(string destination, DateTime now)
    {
        if (!Directory.Exists(destination))
            return;
        foreach (
            var archive in Directory.EnumerateFiles(destination, ".krypton-batch-*.tar" + RemoteFiles.PartialSuffix)
        )
            if (now - File.GetLastWriteTimeUtc(archive) > RemoteFiles.LeftoverAge)
                File.Delete(archive);
    }

    /// <summary>A batch packed on the cluster and downloaded here, not unpacked yet.</summary>
    private sealed record PackedBatch(
        List<RemoteFile> Files,
        int Number,
        string List,
        string Archive,
        string Local,
        Stopwatch Clock,
        string Phases
    )
    {
        public string Key => $"batch {Number} ({Files.Count} small files)";
    }

    /// <summary>Has the cluster pack a batch into an archive (from a list of names) and downloads it.</summary>
    private async Task<PackedBatch> PackAsync(
        List<RemoteFile> batch,
        int number,
        TransferProgress progress,
        CancellationToken ct
    )
    {
        var clock = Stopwatch.StartNew();
        var list = await RemoteFiles.WriteListAsync(remote, root, "batch", batch.Select(f => f.Path), ct);
        var archive = list[..^".list".Length] + ".tar";
        var local = Path.Combine(destination, Path.GetFileName(archive) + RemoteFiles.PartialSuffix);
        var packed = new PackedBatch(batch, number, list, archive, local, clock, "");
        try
        {
            // tar says "Cannot stat" for a file deleted meanwhile and packs the others: what is missing is found below.
            await remote.RunAsync(
                $"cd {ShellQuote.Path(root)} && tar -c -f {ShellQuote.Path(archive)} --null -T {ShellQuote.Path(list)} "
                    + $"2>/dev/null; rm -f -- {ShellQuote.Path(list)}",
                CommandTimeouts.Batch,
                ct
            );
            var phases = $"packed {clock.Elapsed.TotalSeconds:0.00} s";
            try
            {
                Directory.CreateDirectory(destination);
                await remote.DownloadAsync(archive, local, 0, got => progress.Report(packed.Key, got), null, ct);
            }
            catch (Exception e) when (Downloader.IsLocalWriteFailure(e))
            {
                throw Downloader.LocalWriteFailure(destination, e);
            }
            return packed with { Phases = phases + $", downloaded {clock.Elapsed.TotalSeconds:0.00} s" };
        }
        catch
        {
            await DeleteAsync(packed);
            throw;
        }
    }

    /// <summary>Writes a downloaded batch's files here; returns the files the archive did not hold.</summary>
    private async Task<IReadOnlyList<string>> UnpackBatchAsync(
        PackedBatch packed,
        TransferProgress progress,
        Action<RemoteFile, string, string, string> copied,
        CancellationToken ct
    )
    {
        HashSet<string> found;
        try
        {
            found = await UnpackAsync(packed.Local, packed.Files, copied, ct);
        }
        catch (Exception e) when (Downloader.IsLocalWriteFailure(e))
        {
            throw Downloader.LocalWriteFailure(destination, e);
        }
        progress.Completed(packed.Key, packed.Files.Where(f => found.Contains(f.Path)).Select(f => f.Size).ToList());
        log.Verbose(
            $"batch {packed.Number}: {found.Count} of {packed.Files.Count} small files copied; {packed.Phases}, "
                + $"unpacked {packed.Clock.Elapsed.TotalSeconds:0.00} s"
        );
        return packed.Files.Where(f => !found.Contains(f.Path)).Select(f => f.Path).ToList();
    }

    /// <summary>Deletes a batch's archive here and its archive and list on the cluster.</summary>
    private async Task DeleteAsync(PackedBatch packed)
    {
        if (File.Exists(packed.Local))
            File.Delete(packed.Local);
        await remote.RunAsync(
            $"rm -f -- {ShellQuote.Path(packed.Archive)} {ShellQuote.Path(packed.List)}",
            CommandTimeouts.Small,
            CancellationToken.None
        );
    }

    /// <summary>Writes each requested entry to its partial copy, hashing it; returns the paths found.</summary>
    private async Task<HashSet<string>> UnpackAsync(
        string archive,
        List<RemoteFile> batch,
        Action<RemoteFile, string, string, string> copied,
        CancellationToken ct
    )
    {
        var wanted = batch.ToDictionary(f => f.Path, StringComparer.Ordinal);
        var (found, folders) = (new HashSet<string>(StringComparer.Ordinal), new HashSet<string>());
        await using var file = File.OpenRead(archive);
        await using var tar = new TarReader(file);
        while (await tar.GetNextEntryAsync(copyData: false, ct) is { } entry)
        {
            if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile))
                continue;
            if (!wanted.TryGetValue(entry.Name, out var remoteFile) || !found.Add(entry.Name))
                continue;
            var target = Path.Combine(destination, entry.Name);
            var partial = target + RemoteFiles.PartialSuffix;
            if (folders.Add(Path.GetDirectoryName(partial)!))
                Directory.CreateDirectory(Path.GetDirectoryName(partial)!);
            // Small: read whole, hashed, and written in one call each (a stream per file cost more than the bytes).
            var bytes = new byte[entry.Length];
            if (entry.DataStream is { } data)
                await data.ReadExactlyAsync(bytes, ct);
            WriteNew(partial, bytes);
            copied(remoteFile, partial, target, Convert.ToHexStringLower(SHA256.HashData(bytes)));
        }
        return found;
    }

    /// <summary>
    /// Writes a file that does not exist yet (a batch holds only files with no copy here), creating it exclusively:
    /// File.WriteAllBytes truncates a file after opening it, which took two thirds of the time of writing 10,000
    /// small files here (docs/benchmarks.md, "Design measurements"). One that exists after all is replaced.
    /// </summary>
    private static void WriteNew(string path, byte[] bytes)
    {
        SafeFileHandle file;
        try
        {
            file = File.OpenHandle(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read);
        }
        catch (IOException) when (File.Exists(path))
        {
            file = File.OpenHandle(path, FileMode.Create, FileAccess.Write, FileShare.Read);
        }
        using (file)
            RandomAccess.Write(file, bytes, 0);
    }
}
