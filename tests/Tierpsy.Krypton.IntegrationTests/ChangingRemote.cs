using System.Collections.Concurrent;
using System.Security.Cryptography;
using Tierpsy.Krypton.Remote;

namespace Tierpsy.Krypton.IntegrationTests;

/// <summary>
/// The real cluster, with a file changed at a chosen moment: a local source while it is uploaded (on the upload's
/// first progress), a cluster file after the cluster has hashed it and before it is downloaded, or before a given
/// command runs. Everything else goes to the real remote unchanged.
/// </summary>
internal sealed class ChangingRemote(IRemote inner) : IRemote
{
    private readonly TaskCompletionSource _hashed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _upload,
        _download,
        _command;

    /// <summary>Runs once, on the first progress of the upload to a path ending with the suffix.</summary>
    public (string Suffix, Action Change)? DuringUpload { get; init; }

    /// <summary>
    /// Runs once, before the download of a path ending with the suffix, once the cluster's hash command has returned.
    /// </summary>
    public (string Suffix, Action Change)? BeforeDownload { get; init; }

    /// <summary>
    /// Runs once, before the first command that contains the text (it may throw, as a lost connection would).
    /// </summary>
    public (string Contains, Action Change)? BeforeCommand { get; init; }

    /// <summary>How many of the hooks have run (each runs once).</summary>
    public int Changes => _upload + _download + _command;

    /// <summary>The commands that went to the cluster, in order.</summary>
    public ConcurrentQueue<string> Commands { get; } = new();

    public string Description => inner.Description;

    public async Task<CommandResult> RunAsync(
        string command,
        TimeSpan? timeout = null,
        CancellationToken cancellationToken = default
    )
    {
        if (
            BeforeCommand is { } change
            && command.Contains(change.Contains, StringComparison.Ordinal)
            && Interlocked.CompareExchange(ref _command, 1, 0) == 0
        )
            change.Change();
        Commands.Enqueue(command);
        var result = await inner.RunAsync(command, timeout, cancellationToken);
        if (command.Contains("openssl dgst", StringComparison.Ordinal))
            _hashed.TrySetResult();
        return result;
    }

    public Task UploadAsync(
        string localPath,
        string remotePath,
        long offset,
        Action<long>? progress,
        IncrementalHash? hash = null,
        CancellationToken cancellationToken = default
    )
    {
        if (DuringUpload is not { } change || !remotePath.EndsWith(change.Suffix, StringComparison.Ordinal))
            return inner.UploadAsync(localPath, remotePath, offset, progress, hash, cancellationToken);
        return inner.UploadAsync(
            localPath,
            remotePath,
            offset,
            sent =>
            {
                if (Interlocked.CompareExchange(ref _upload, 1, 0) == 0)
                    change.Change();
                progress?.Invoke(sent);
            },
            hash,
            cancellationToken
        );
    }

    public async Task DownloadAsync(
        string remotePath,
        string localPath,
        long offset,
        Action<long>? progress,
        IncrementalHash? hash = null,
        CancellationToken cancellationToken = default
    )
    {
        if (
            BeforeDownload is { } change
            && remotePath.EndsWith(change.Suffix, StringComparison.Ordinal)
            && Interlocked.CompareExchange(ref _download, 1, 0) == 0
        )
        {
            await _hashed.Task.WaitAsync(cancellationToken);
            change.Change();
        }
        await inner.DownloadAsync(remotePath, localPath, offset, progress, hash, cancellationToken);
    }

    public Task WriteTextAsync(string path, string content, CancellationToken cancellationToken = default) =>
        inner.WriteTextAsync(path, content, cancellationToken);

    public Task<string> HomeAsync(CancellationToken cancellationToken = default) => inner.HomeAsync(cancellationToken);

    public Task RenameAsync(string from, string to, CancellationToken cancellationToken = default) =>
        inner.RenameAsync(from, to, cancellationToken);

    public Task<IReadOnlyList<RemoteFileInfo>> ListFilesAsync(
        string root,
        IReadOnlyList<string> folders,
        CancellationToken cancellationToken = default
    ) => inner.ListFilesAsync(root, folders, cancellationToken);

    public void PrepareCopies() => inner.PrepareCopies();

    public Task<bool?> TryCreateFolderAsync(string path, CancellationToken cancellationToken = default) =>
        inner.TryCreateFolderAsync(path, cancellationToken);

    public ValueTask DisposeAsync() => inner.DisposeAsync();
}
