using System.Collections.Concurrent;
using System.Diagnostics;
using System.Formats.Tar;
using System.Security.Cryptography;
using Tierpsy.Krypton.Remote;
using Tierpsy.Krypton.Text;

namespace Tierpsy.Krypton.Transfer;

/// <summary>What the small-file batches did: each file's time on the cluster once verified and in place.</summary>
/// <param name="Verified">Each file given its name, with its time on the cluster (whole seconds).</param>
/// <param name="Rejected">Copies whose SHA-256 on the cluster differed (deleted).</param>
/// <param name="Unplaced">Verified copies that could not be moved into place (left for the next run).</param>
/// <param name="Changed">Local files that changed while they were read (not copied).</param>
internal sealed record BatchReport(
    IReadOnlyDictionary<string, long> Verified,
    IReadOnlyList<string> Rejected,
    IReadOnlyList<string> Unplaced,
    IReadOnlyList<UploadItem> Changed
);

/// <summary>
/// Copies many small files as a few tar archives instead of one SFTP round trip per file: each batch is packed here
/// (hashing every file as it is read), uploaded as one file into a staging folder below the root, unpacked there,
/// hashed on the cluster in one command, and the files whose SHA-256 matches are moved into place by one script
/// (<see cref="StagingMoves"/>). Nothing gets its real name before its hash matches; an interrupted batch leaves only
/// the staging folder, which the next run deletes.
/// </summary>
internal sealed class SmallFileBatches(IRemote remote, string root, ITransferLog log)
{
    /// <summary>Files up to this size go in batches; larger ones are copied one by one.</summary>
    public const long SmallFile = 1L << 20;

    /// <summary>The folder below the root that holds batches being unpacked and checked.</summary>
    public const string StagingFolder = ".krypton-staging";

    /// <summary>
    /// Whether a file goes in a batch: small, below a folder, and with a name the cluster's hashing tools print as it
    /// is (no newline, no backslash) below a folder that does not start with a dash.
    /// </summary>
    public static bool Suits(string remotePath, long size) =>
        size <= SmallFile && remotePath.IndexOf('/') > 0 && RemoteFiles.IsPlainName(remotePath);

    /// <summary>A move script up to this length is sent with its command instead of as a file first.</summary>
    private const int InlineScript = 32 * 1024;

    /// <summary>How much one batch holds at most, so a failed batch costs little to send again.</summary>
    private const long BatchBytes = 64L << 20;

    /// <param name="items">The small files to copy.</param>
    /// <param name="sizes">Each file's size as listed before the copy (by path on the cluster).</param>
    /// <param name="hashes">
    /// Filled with each file's local SHA-256 (by path on the cluster), from several threads at once.
    /// </param>
    /// <param name="existingFolders">Folders below the root that exist on the cluster.</param>
    /// <param name="progress">Counts the files and bytes.</param>
    /// <param name="ct">Stops the copy.</param>
    public async Task<BatchReport> RunAsync(
        IReadOnlyList<UploadItem> items,
        IReadOnlyDictionary<string, long> sizes,
        ConcurrentDictionary<string, string> hashes,
        IReadOnlySet<string> existingFolders,
        TransferProgress progress,
        CancellationToken ct
    )
    {
        var verified = new Dictionary<string, long>(StringComparer.Ordinal);
        var (rejected, unplaced, changed) = (new List<string>(), new List<string>(), new List<UploadItem>());
        if (items.Count == 0)
            return new BatchReport(verified, rejected, unplaced, changed);
        var staging = RemotePath.Combine(root, StagingFolder);
        // What an interrupted run left: never moved, so never given a name.
        await CheckedAsync($"rm -rf -- {ShellQuote.Path(staging)}", "clear the staging folder", staging, ct);
        var folders = new HashSet<string>(existingFolders, StringComparer.Ordinal);
        var number = 0;
        foreach (var batch in SizeBatches.Of(items, i => sizes[i.RemotePath], BatchBytes))
        {
            var report = await RunBatchAsync(batch, ++number, hashes, folders, progress, ct);
            foreach (var (path, modified) in report.Verified)
                verified[path] = modified;
            folders.UnionWith(StagingMoves.FoldersOf(report.Verified.Keys));
            rejected.AddRange(report.Rejected);
            unplaced.AddRange(report.Unplaced);
            changed.AddRange(report.Changed);
        }
        return new BatchReport(verified, rejected, unplaced, changed);
    }

    private async Task<BatchReport> RunBatchAsync(
        List<UploadItem> batch,
        int number,
        ConcurrentDictionary<string, string> hashes,
        IReadOnlySet<string> folders,
        TransferProgress progress,
        CancellationToken ct
    )
    {
        var name = $"batch-{number}";
        var staging = RemotePath.Combine(root, StagingFolder, name);
        var archive = Path.Combine(Path.GetTempPath(), $"krypton-{Guid.NewGuid():N}.tar");
        try
        {
            var clock = Stopwatch.StartNew();
            string Phases() => $"{clock.Elapsed.TotalSeconds:0.00} s";
            var (packed, changed) = await PackAsync(batch, archive, hashes, ct);
            var phases = $"packed {Phases()}";
            var key = $"{packed.Count} small files";
            await remote.UploadAsync(archive, staging + ".tar", 0, sent => progress.Report(key, sent), null, ct);
            phases += $", uploaded {Phases()}";
            var tar = ShellQuote.Path(staging + ".tar");
            await CheckedAsync(
                $"mkdir -p -- {ShellQuote.Path(staging)} && tar -x -o -f {tar} -C {ShellQuote.Path(staging)} "
                    + $"&& rm -f -- {tar}",
                $"unpack {packed.Count} small files",
                staging,
                ct
            );
            phases += $", unpacked {Phases()}";
            var tops = packed.Select(p => p.Path[..p.Path.IndexOf('/')]).Distinct(StringComparer.Ordinal).ToList();
            var hashed = await RemoteFiles.HashTreeAsync(remote, staging, tops, ct);
            phases += $", hashed {Phases()}";
            var good = packed.Where(p => hashed.GetValueOrDefault(p.Path)?.Sha256 == hashes[p.Path]).ToList();
            var bad = packed.Except(good).Select(p => p.Path).ToList();
            var moved = await MoveAsync(staging, good.Select(p => p.Path).ToList(), bad, folders, ct);
            progress.Completed(key, packed.Select(p => p.Size).ToList());
            log.Verbose(
                $"batch {number}: {packed.Count} small files, {good.Count} verified; {phases}, moved {Phases()}"
            );
            return new BatchReport(
                moved ? good.ToDictionary(p => p.Path, p => hashed[p.Path].Modified, StringComparer.Ordinal) : [],
                bad,
                moved ? [] : good.Select(p => p.Path).ToList(),
                changed
            );
        }
        finally
        {
            File.Delete(archive);
        }
    }

    /// <summary>
    /// Packs the files into a tar archive, hashing each; files that changed while read are left out. Files are read
    /// and hashed on all cores, then written in order.
    /// </summary>
    private static async Task<(List<(string Path, long Size)> Packed, List<UploadItem> Changed)> PackAsync(
        List<UploadItem> batch,
        string archive,
        ConcurrentDictionary<string, string> hashes,
        CancellationToken ct
    )
    {
        var read = new (byte[]? Bytes, DateTime Modified)[batch.Count];
        await Parallel.ForAsync(
            0,
            batch.Count,
            new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = ct },
            async (i, token) =>
            {
                var before = new FileInfo(batch[i].LocalPath);
                var bytes = await File.ReadAllBytesAsync(batch[i].LocalPath, token);
                var after = new FileInfo(batch[i].LocalPath);
                var unchanged = after.Length == bytes.Length && after.LastWriteTimeUtc == before.LastWriteTimeUtc;
                read[i] = (unchanged ? bytes : null, before.LastWriteTimeUtc);
                if (unchanged)
                    hashes[batch[i].RemotePath] = Convert.ToHexStringLower(SHA256.HashData(bytes));
            }
        );
        var (packed, changed) = (new List<(string, long)>(), new List<UploadItem>());
        await using var file = File.Create(archive);
        await using var tar = new TarWriter(file, TarEntryFormat.Gnu, leaveOpen: true);
        for (var i = 0; i < batch.Count; i++)
        {
            if (read[i].Bytes is not { } bytes)
            {
                changed.Add(batch[i]);
                continue;
            }
            var entry = new GnuTarEntry(TarEntryType.RegularFile, batch[i].RemotePath)
            {
                DataStream = new MemoryStream(bytes, writable: false),
                ModificationTime = read[i].Modified,
                Mode = (UnixFileMode)0b110_100_100,
            };
            await tar.WriteEntryAsync(entry, ct);
            packed.Add((batch[i].RemotePath, bytes.Length));
        }
        return (packed, changed);
    }

    /// <summary>Moves the verified copies into place and deletes the others; false when the move failed.</summary>
    private async Task<bool> MoveAsync(
        string staging,
        List<string> good,
        List<string> bad,
        IReadOnlySet<string> folders,
        CancellationToken ct
    )
    {
        var text = StagingMoves.Script(staging, root, good, bad, folders);
        var script = staging + ".sh";
        // A short script (whole folders move in one rename each) goes with the command; a long one as a file.
        var inline = text.Length <= InlineScript;
        if (!inline)
            await remote.WriteTextAsync(script, text, ct);
        var run = inline ? $"sh -c {ShellQuote.Word(text)}" : $"sh {ShellQuote.Path(script)}";
        var moved = await remote.RunAsync(
            $"{run}; st=$?; rm -rf -- {ShellQuote.Path(staging)} {ShellQuote.Path(script)}; "
                + $"rmdir -- {ShellQuote.Path(RemotePath.Parent(staging))} 2>/dev/null; exit $st",
            CommandTimeouts.Batch,
            ct
        );
        if (moved.ExitCode != 0)
            log.Verbose($"moving small files into place failed: {moved.Error.Trim()}");
        return moved.ExitCode == 0;
    }

    /// <summary>Runs a command that writes below the root; a failure says what to do (full disk, no rights).</summary>
    private async Task CheckedAsync(string command, string what, string folder, CancellationToken ct)
    {
        var result = await remote.RunAsync($"cd {ShellQuote.Path(root)} && {command}", CommandTimeouts.Batch, ct);
        if (result.ExitCode == 0)
            return;
        throw new RemoteException(
            await FreeSpace.WriteFailureAsync(remote, $"{folder} to {what}", result.Error.Trim(), root, ct)
        )
        {
            Reason = RemoteFailure.CommandFailed,
            ExitCode = result.ExitCode,
        };
    }
}
