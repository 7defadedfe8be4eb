using System.Security.Cryptography;

namespace Tierpsy.Krypton.Remote;

/// <summary>What a command printed and how it exited.</summary>
internal sealed record CommandResult(int ExitCode, string Output, string Error)
{
    /// <summary>Standard output and standard error together.</summary>
    public string All => Output + Error;
}

/// <summary>
/// The cluster as the workflow sees it: run a shell command, read and write files. <see cref="SshRemote"/> reaches a
/// login node over one SSH connection; <see cref="LocalRemote"/> is this computer (the <c>local</c> scheduler).
/// Paths are absolute or start with <c>~/</c> (the remote user's home).
/// </summary>
internal interface IRemote : IAsyncDisposable
{
    /// <summary>Where commands run, for messages: <c>jdoe@login:22</c> or <c>this computer</c>.</summary>
    string Description { get; }

    /// <summary>
    /// Runs <paramref name="command"/> with bash on the remote side, stdin empty, in the environment of the user's
    /// login shell (over SSH a login bash, once per connection; on this computer the environment the build was
    /// started in).
    /// </summary>
    /// <exception cref="RemoteException">The connection failed or the command timed out.</exception>
    Task<CommandResult> RunAsync(
        string command,
        TimeSpan? timeout = null,
        CancellationToken cancellationToken = default
    );

    /// <summary>Writes a text file (UTF-8, LF), creating missing parent folders.</summary>
    Task WriteTextAsync(string path, string content, CancellationToken cancellationToken = default);

    /// <summary>The remote user's home folder (what <c>~</c> stands for).</summary>
    Task<string> HomeAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Copies a local file to the remote side, starting at <paramref name="offset"/> (0: the remote file is created
    /// or truncated; otherwise the bytes from there on are written over the remote file's end, resuming an upload).
    /// Several calls may run at once; each reports the bytes it sent so far to <paramref name="progress"/>, and
    /// appends them to <paramref name="hash"/> when given (one read of the file for the copy and its checksum).
    /// </summary>
    Task UploadAsync(
        string localPath,
        string remotePath,
        long offset,
        Action<long>? progress,
        IncrementalHash? hash = null,
        CancellationToken cancellationToken = default
    );

    /// <summary>
    /// Renames a remote file, replacing <paramref name="to"/> if it exists (the same folder, so it is atomic).
    /// </summary>
    Task RenameAsync(string from, string to, CancellationToken cancellationToken = default);

    /// <summary>
    /// Every regular file below the <paramref name="folders"/> of <paramref name="root"/>, recursively (symbolic links
    /// are not followed), with paths relative to <paramref name="root"/>. A root or folder that does not exist lists
    /// nothing.
    /// </summary>
    Task<IReadOnlyList<RemoteFileInfo>> ListFilesAsync(
        string root,
        IReadOnlyList<string> folders,
        CancellationToken cancellationToken = default
    ) => FileListing.ListAsync(this, root, folders, cancellationToken);

    /// <summary>
    /// Says that copies will probably follow: a remote that opens connections for them may open them now, while the
    /// caller still lists and hashes. Does nothing by default.
    /// </summary>
    void PrepareCopies() { }

    /// <summary>
    /// Creates a folder, and its missing parents, without starting a shell: true when this call created it, false when
    /// it existed already. Creating the folder itself is atomic (of two runs at once, one gets true). Null where this
    /// side has no quicker way than a command (the caller then runs <c>mkdir</c>).
    /// </summary>
    /// <exception cref="RemoteException">
    /// The cluster refused it (<see cref="RemoteFailure.Refused"/>: no permission, full disk), or the connection
    /// failed.</exception>
    Task<bool?> TryCreateFolderAsync(string path, CancellationToken cancellationToken = default) =>
        Task.FromResult<bool?>(null);

    /// <summary>
    /// Copies a remote file to a local one from <paramref name="offset"/> on (0: the local file is created or
    /// truncated), appending the bytes it writes to <paramref name="hash"/> when given.
    /// </summary>
    Task DownloadAsync(
        string remotePath,
        string localPath,
        long offset,
        Action<long>? progress,
        IncrementalHash? hash = null,
        CancellationToken cancellationToken = default
    );
}
