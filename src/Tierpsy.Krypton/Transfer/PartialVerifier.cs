using System.Collections.Concurrent;
using System.Diagnostics;
using System.Threading.Channels;
using Tierpsy.Krypton.Remote;
using Tierpsy.Krypton.Text;

namespace Tierpsy.Krypton.Transfer;

/// <summary>
/// Verifies uploaded partial copies on the cluster while later files are still being copied: whatever finished
/// since the last round is hashed in one command, each copy whose SHA-256 equals the local one takes its real name,
/// and the others are deleted (so the next run copies them again from the start). The longer a round takes, the
/// more files the next one takes, so many small files cost few commands.
/// </summary>
internal sealed class PartialVerifier
{
    private readonly IRemote _remote;
    private readonly string _root;
    private readonly int _parallel;
    private readonly Channel<(string Path, string Sha256, long Size)> _queue = Channel.CreateUnbounded<(
        string,
        string,
        long
    )>();
    private readonly ConcurrentDictionary<string, long?> _results = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _unhashed = new(StringComparer.Ordinal);
    private readonly Task _loop;

    /// <param name="remote">The cluster.</param>
    /// <param name="root">The folder the verified paths are relative to.</param>
    /// <param name="parallel">How many renames run at once.</param>
    /// <param name="ct">Stops the verification.</param>
    /// <remarks>
    /// Its first command needs no shell started for it: a connection to the cluster starts its login shell as it
    /// opens, and the listing before the copies gives it back. A second shell started here would run its start-up
    /// files (.bashrc; a tenth of a CPU-second on the test cluster) while the listing waits for the cores.
    /// </remarks>
    public PartialVerifier(IRemote remote, string root, int parallel, CancellationToken ct)
    {
        (_remote, _root, _parallel) = (remote, root, Math.Max(1, parallel));
        _loop = Task.Run(() => LoopAsync(ct), ct);
    }

    /// <summary>Queues a copied file (its path without the partial suffix) for verification.</summary>
    public void Add(string path, string sha256, long size) => _queue.Writer.TryWrite((path, sha256, size));

    /// <summary>
    /// Waits for every queued file: for each that was verified and renamed, its time on the cluster in whole
    /// seconds, as a listing gives it (a rename keeps it); null for each that was discarded because its SHA-256
    /// differs. A copy the cluster could not hash is in neither: see <see cref="Unhashed"/>.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, long?>> CompleteAsync()
    {
        _queue.Writer.TryComplete();
        _completed.TrySetResult();
        await _loop;
        return _results;
    }

    /// <summary>
    /// Rounds start at most this often while copies go on (the last one at once): each starts processes on the
    /// cluster (milliseconds of CPU each on a busy login node), so many small files make few rounds.
    /// </summary>
    internal static readonly TimeSpan RoundInterval = TimeSpan.FromMilliseconds(250);

    private readonly TaskCompletionSource _completed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private async Task LoopAsync(CancellationToken ct)
    {
        var last = 0L;
        while (await _queue.Reader.WaitToReadAsync(ct))
        {
            var wait = RoundInterval - Stopwatch.GetElapsedTime(last);
            if (last != 0 && wait > TimeSpan.Zero)
                await Task.WhenAny(Task.Delay(wait, ct), _completed.Task);
            ct.ThrowIfCancellationRequested();
            last = Stopwatch.GetTimestamp();
            var batch = new List<(string Path, string Sha256, long Size)>();
            while (_queue.Reader.TryRead(out var item))
                batch.Add(item);
            await VerifyAsync(batch, ct);
        }
    }

    /// <summary>
    /// Copies the cluster could not hash (unreadable, gone, or the hash command failed): kept as partial copies, so the
    /// next run checks them again.
    /// </summary>
    public IReadOnlyCollection<string> Unhashed => _unhashed.Keys.ToList();

    private async Task VerifyAsync(List<(string Path, string Sha256, long Size)> batch, CancellationToken ct)
    {
        var found = await RemoteFiles.HashPathsAsync(
            _remote,
            _root,
            batch.Select(f => f.Path + RemoteFiles.PartialSuffix).ToList(),
            batch.Sum(f => f.Size),
            ct
        );
        foreach (
            var file in batch.Where(f => found.GetValueOrDefault(f.Path + RemoteFiles.PartialSuffix)?.Sha256 is null)
        )
            _unhashed[file.Path] = true;
        batch = batch.Where(f => !_unhashed.ContainsKey(f.Path)).ToList();
        var good = batch
            .Where(f => found[f.Path + RemoteFiles.PartialSuffix].Sha256 == f.Sha256)
            .Select(f => f.Path)
            .ToList();
        await Parallel.ForEachAsync(
            good,
            new ParallelOptions { MaxDegreeOfParallelism = _parallel, CancellationToken = ct },
            async (path, token) =>
            {
                await _remote.RenameAsync(
                    RemotePath.Combine(_root, path + RemoteFiles.PartialSuffix),
                    RemotePath.Combine(_root, path),
                    token
                );
                _results[path] = found[path + RemoteFiles.PartialSuffix].Modified;
            }
        );
        var bad = batch.Select(f => f.Path).Except(good).ToList();
        if (bad.Count > 0)
        {
            var removed = await RemoteFiles.DeleteAsync(
                _remote,
                _root,
                bad.Select(p => p + RemoteFiles.PartialSuffix).ToList(),
                CommandTimeouts.Batch,
                ct
            );
            if (removed.ExitCode != 0)
                throw new RemoteException(
                    $"Deleting {bad.Count} copies on {_remote.Description} whose SHA-256 differs from the local files "
                        + $"failed: {removed.Error.Trim()}. Run Stage again; it checks them again."
                )
                {
                    Reason = RemoteFailure.CommandFailed,
                    ExitCode = removed.ExitCode,
                };
            foreach (var path in bad)
                _results[path] = null;
        }
    }
}
