using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Channels;
using Renci.SshNet;
using Renci.SshNet.Common;
using Tierpsy.Krypton.Text;

namespace Tierpsy.Krypton.Remote;

/// <summary>
/// The login node over SSH (SSH.NET): one SSH connection for commands, and SFTP sessions opened on first use, all
/// kept for the whole run. Commands run in long-lived bash shells on that connection (<see cref="RemoteShell"/>), so
/// the user's start-up files run once per shell, not once per command. Host keys are checked against known_hosts; an
/// unknown or changed key stops the run. A connection found closed before a command is opened again; a command cut
/// off midway is reported, never re-run.
/// </summary>
internal sealed class SshRemote : IRemote
{
    private readonly SshSettings _settings;
    private readonly SshConnector _connector;
    private readonly SftpTransferSessions _transfers;
    private SshClient? _ssh;
    private SftpClient? _sftp;
    private string? _home;
    private readonly SemaphoreSlim _sftpOpening = new(1, 1);
    private readonly ConcurrentBag<RemoteShell> _shells = [];
    private bool _noShell;
    private readonly ConcurrentDictionary<string, Lazy<Task>> _folders = new(StringComparer.Ordinal);

    /// <summary>How many bytes each SFTP session's uploads may have on the way.</summary>
    private readonly ConditionalWeakTable<SftpClient, InFlightLimit> _uploadLimits = [];

    private SshRemote(SshSettings settings)
    {
        _settings = settings;
        _connector = new SshConnector(settings);
        _transfers = new SftpTransferSessions(ct => SftpAsync(ct), ct => ConnectSftpAsync(ct));
    }

    /// <summary>
    /// How many file transfers run at once where the cluster is near (default 4); up to <see
    /// cref="UploadsPerSession"/> uploads share an SFTP session there. Read when the first copy starts.
    /// </summary>
    public int ParallelTransfers { get; set; } = 4;

    /// <summary>
    /// How many file transfers run at once where the cluster is distant (<see cref="LinkDistance"/>), each on an SFTP
    /// session of its own (default 4). Read when the first copy starts.
    /// </summary>
    public int DistantParallelTransfers { get; set; } = 4;

    /// <summary>The round trip to the login node, measured once, on the first control SFTP session.</summary>
    private Task<TimeSpan>? _roundTrip;

    /// <summary>Whether the link is distant; decided at the first listing or copy.</summary>
    private bool? _distant;

    /// <inheritdoc />
    public string Description => $"{_settings.User}@{_settings.Host}:{_settings.Port}";

    /// <summary>
    /// Receives what a slow step waits for (a login shell that takes long to start), to tell the user.
    /// </summary>
    public Action<string>? Notice { get; set; }

    /// <summary>Connects, checking the host key and authenticating with the configured keys.</summary>
    /// <exception cref="RemoteException">
    /// Unreachable host, unknown or changed host key, refused key, unreadable key file.</exception>
    public static async Task<SshRemote> ConnectAsync(
        SshSettings settings,
        CancellationToken cancellationToken = default
    )
    {
        var remote = new SshRemote(settings);
        // Without a jump host (whose tunnel the SFTP session goes through) or a host key to accept (which both would
        // add to known_hosts), the SFTP session's handshake needs nothing from the SSH connection's: both run at
        // once, ~0.2 s less before the first listing or copy. A refusal is reported from the SSH connection.
        var sftp =
            settings.ProxyJump is null && settings.AcceptFingerprint is null
                ? remote.SftpAsync(cancellationToken, alongsideOpen: true)
                : null;
        try
        {
            await remote.OpenAsync(cancellationToken);
            remote.WarmShell();
        }
        catch
        {
            // The SSH connection's error is the one to report; the SFTP session is closed whether it opened or not.
            if (sftp is not null)
                await sftp.ContinueWith(
                    _ => { },
                    CancellationToken.None,
                    TaskContinuationOptions.None,
                    TaskScheduler.Default
                );
            await remote.DisposeAsync();
            throw;
        }
        // An SFTP session that failed to open is opened again (and its error reported) where it is first needed.
        _ = sftp?.ContinueWith(
            t => t.Exception,
            CancellationToken.None,
            TaskContinuationOptions.OnlyOnFaulted,
            TaskScheduler.Default
        );
        return remote;
    }

    /// <summary>How many commands were sent to the login node so far (each a round trip at least).</summary>
    internal int CommandsSent => Volatile.Read(ref _commandsSent);

    private int _commandsSent;

    /// <inheritdoc />
    public async Task<CommandResult> RunAsync(
        string command,
        TimeSpan? timeout = null,
        CancellationToken cancellationToken = default
    )
    {
        Interlocked.Increment(ref _commandsSent);
        if (_ssh is not { IsConnected: true })
            await OpenAsync(cancellationToken);
        var limit = timeout ?? CommandTimeouts.ManyFiles;
        var shell = _noShell ? null : await ShellAsync(cancellationToken);
        if (shell is null)
            return await ExecuteAsync(command, limit, cancellationToken);
        try
        {
            var result = await shell.RunAsync(command, limit, cancellationToken);
            _shells.Add(shell);
            return result;
        }
        catch (TimeoutException)
        {
            throw new RemoteException(
                $"The command did not finish within {limit} on {Description}: {LocalRemote.Shorten(command)}"
            )
            {
                Reason = RemoteFailure.Timeout,
                Command = command,
            };
        }
        catch (Exception e)
            when (e
                    is ChannelClosedException
                        or SshException
                        or SocketException
                        or ObjectDisposedException
                        or IOException
            )
        {
            shell.Dispose();
            throw new RemoteException(
                $"The connection to {Description} was lost while running: {LocalRemote.Shorten(command)}.",
                e
            )
            {
                Reason = RemoteFailure.ConnectionLost,
                Command = command,
            };
        }
    }

    /// <summary>
    /// Starts a shell as soon as the connection is open, for the first command: the user's start-up files then run
    /// while the SFTP session opens and the local files are read, not after.
    /// </summary>
    private void WarmShell() => _warming = StartShellAsync(CancellationToken.None);

    /// <summary>The shell <see cref="WarmShell"/> started, until a command takes it.</summary>
    private Task<RemoteShell?>? _warming;

    /// <summary>An idle shell of this connection, or a new one (null when the login shell cannot run one).</summary>
    private async Task<RemoteShell?> ShellAsync(CancellationToken cancellationToken)
    {
        while (_shells.TryTake(out var idle))
        {
            if (idle.IsAlive)
                return idle;
            idle.Dispose();
        }
        if (Interlocked.Exchange(ref _warming, null) is { } warming)
        {
            try
            {
                if (await warming.WaitAsync(cancellationToken) is { IsAlive: true } warm)
                    return warm;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // It failed to start (a lost connection says so again below).
            }
            if (_noShell)
                return null;
        }
        return await StartShellAsync(cancellationToken);
    }

    /// <summary>
    /// How many login shells this connection started so far: each runs the user's start-up files, which can cost
    /// more than the commands it runs.
    /// </summary>
    internal int ShellsStarted => Volatile.Read(ref _shellsStarted);

    private int _shellsStarted;

    private async Task<RemoteShell?> StartShellAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _shellsStarted);
        var shell = await RemoteShell.StartAsync(
            _ssh!,
            CommandTimeouts.Small,
            // Read when it is slow: the shell started with the connection starts before Notice is set.
            () =>
                Notice?.Invoke(
                    $"Waiting for the login shell on {_settings.Host} to start (over "
                        + $"{RemoteShell.SlowStart.TotalSeconds:0} s): is its .bashrc or .bash_profile slow "
                        + "(conda init, module loads)? It starts once per connection."
                ),
            cancellationToken
        );
        _noShell = shell is null;
        return shell;
    }

    /// <summary>Runs a command on a channel of its own, in a login bash as the long-lived shells run it.</summary>
    private async Task<CommandResult> ExecuteAsync(
        string command,
        TimeSpan timeout,
        CancellationToken cancellationToken
    )
    {
        using var ssh = _ssh!.CreateCommand("exec bash -l -c " + ShellQuote.Word(command));
        ssh.CommandTimeout = timeout;
        try
        {
            var execution = ssh.ExecuteAsync(cancellationToken);
            ssh.CreateInputStream().Dispose(); // stdin is empty, as the shells' /dev/null
            await execution;
        }
        catch (SshOperationTimeoutException)
        {
            throw new RemoteException(
                $"The command did not finish within {ssh.CommandTimeout} on {Description}: "
                    + LocalRemote.Shorten(command)
            )
            {
                Reason = RemoteFailure.Timeout,
                Command = command,
            };
        }
        catch (Exception e) when (e is SshConnectionException or SocketException or ObjectDisposedException)
        {
            throw new RemoteException(
                $"The connection to {Description} was lost while running: {LocalRemote.Shorten(command)}.",
                e
            )
            {
                Reason = RemoteFailure.ConnectionLost,
                Command = command,
            };
        }
        return new CommandResult(ssh.ExitStatus ?? -1, ssh.Result, ssh.Error);
    }

    /// <inheritdoc />
    public Task WriteTextAsync(string path, string content, CancellationToken cancellationToken = default) =>
        WritingAsync(
            path,
            async () =>
            {
                var sftp = await SftpAsync(cancellationToken);
                var full = RemotePath.Expand(path, await HomeAsync(cancellationToken));
                await CreateFoldersAsync(sftp, RemotePath.Parent(full), cancellationToken);
                using var stream = new MemoryStream(new UTF8Encoding(false).GetBytes(content));
                await sftp.UploadFileAsync(stream, full, cancellationToken);
            },
            cancellationToken
        );

    /// <inheritdoc />
    /// <remarks>Where the SFTP session starts (the home folder, as SFTP resolves it); no shell starts for it.</remarks>
    public async Task<string> HomeAsync(CancellationToken cancellationToken = default)
    {
        if (_home is not null)
            return _home;
        var sftp = await SftpAsync(cancellationToken);
        if (sftp.WorkingDirectory is { Length: > 0 } start && start.StartsWith('/'))
            return _home = start;
        var result = await RunAsync("printf '%s' \"$HOME\"", TimeSpan.FromSeconds(30), cancellationToken);
        return _home =
            result.ExitCode == 0 && result.Output.StartsWith('/')
                ? result.Output
                : throw new RemoteException($"Could not read $HOME on {Description}: {result.All.Trim()}");
    }

    /// <inheritdoc />
    /// <remarks>
    /// Where the cluster is near, reads the folders over SFTP, up to <see cref="ListingRequests"/> of them at once:
    /// no shell has to have started, and the user's start-up files take about a second on many login nodes. A folder
    /// that cannot be read is left out, as <c>find</c> leaves it out. Where it is distant, one <c>find</c> lists them
    /// instead: SFTP reads a tree one level per round trip or more, and the shell started with the connection.
    /// </remarks>
    public async Task<IReadOnlyList<RemoteFileInfo>> ListFilesAsync(
        string root,
        IReadOnlyList<string> folders,
        CancellationToken cancellationToken = default
    )
    {
        if (await IsDistantAsync(cancellationToken))
            return await FileListing.ListAsync(this, root, folders, cancellationToken);
        var sftp = await SftpAsync(cancellationToken);
        var top = RemotePath.Expand(root, await HomeAsync(cancellationToken));
        var files = new ConcurrentBag<RemoteFileInfo>();
        using var requests = new SemaphoreSlim(ListingRequests);

        async Task WalkAsync(string folder)
        {
            var entries = new List<Renci.SshNet.Sftp.ISftpFile>();
            await requests.WaitAsync(cancellationToken);
            try
            {
                await foreach (var entry in sftp.ListDirectoryAsync(RemotePath.Combine(top, folder), cancellationToken))
                    entries.Add(entry);
            }
            catch (SshException e) when (e is not SshConnectionException and not SshOperationTimeoutException)
            {
                return; // missing, unreadable or not a folder
            }
            finally
            {
                requests.Release();
            }
            // A folder just read exists: a copy into it later in this run need not ask again.
            _folders.TryAdd(RemotePath.Combine(top, folder), new Lazy<Task>(Task.CompletedTask));
            var below = new List<Task>();
            foreach (var entry in entries.Where(e => e.Name is not "." and not ".."))
            {
                var path = folder + "/" + entry.Name;
                if (entry.IsDirectory)
                    below.Add(WalkAsync(path));
                else if (entry.IsRegularFile)
                    files.Add(
                        new RemoteFileInfo(
                            path,
                            entry.Length,
                            new DateTimeOffset(entry.LastWriteTimeUtc, TimeSpan.Zero).ToUnixTimeSeconds()
                        )
                    );
            }
            await Task.WhenAll(below);
        }

        try
        {
            await Task.WhenAll(folders.Select(f => WalkAsync(f.TrimEnd('/'))));
        }
        catch (Exception e) when (IsConnectionLoss(e))
        {
            throw new RemoteException(
                $"The connection to {Description} was lost while listing {top}. Run the same command again.",
                e
            )
            {
                Reason = RemoteFailure.ConnectionLost,
            };
        }
        return [.. files];
    }

    /// <summary>
    /// An error that means the connection (or a session on it) is gone, not that the cluster refused something.
    /// </summary>
    internal static bool IsConnectionLoss(Exception e) =>
        e
            is SshConnectionException
                or SocketException
                or ObjectDisposedException
                or SshOperationTimeoutException
                or IOException { InnerException: SocketException };

    /// <summary>
    /// How many folders a listing reads at once (requests in flight hide the round trips of a distant cluster).
    /// </summary>
    private const int ListingRequests = 16;

    /// <inheritdoc />
    public Task UploadAsync(
        string localPath,
        string remotePath,
        long offset,
        Action<long>? progress,
        IncrementalHash? hash = null,
        CancellationToken cancellationToken = default
    ) =>
        WritingAsync(
            remotePath,
            () => UploadOnceAsync(localPath, remotePath, offset, progress, hash, cancellationToken),
            cancellationToken
        );

    /// <summary>
    /// Runs a write of <paramref name="remotePath"/>; a write the cluster refuses (full disk, no permission) becomes a
    /// message that says what to do, and a connection lost meanwhile is reported as one (so Stage and Retrieve
    /// reconnect and resume).
    /// </summary>
    private async Task WritingAsync(string remotePath, Func<Task> write, CancellationToken cancellationToken)
    {
        try
        {
            await write();
        }
        catch (Exception e) when (IsConnectionLoss(e))
        {
            throw new RemoteException(
                $"The connection to {Description} was lost while writing {remotePath}. Run the same command again.",
                e
            )
            {
                Reason = RemoteFailure.ConnectionLost,
            };
        }
        catch (SshException e) when (e is not SshConnectionException and not SshOperationTimeoutException)
        {
            throw new RemoteException(
                await FreeSpace.WriteFailureAsync(
                    this,
                    remotePath,
                    e.Message,
                    RemotePath.Parent(remotePath),
                    cancellationToken
                ),
                e
            )
            {
                Reason = RemoteFailure.Refused,
            };
        }
    }

    /// <inheritdoc />
    /// <remarks>Over SFTP, so no login shell has to start first; null when the parent folder does not exist.</remarks>
    public async Task<bool?> TryCreateFolderAsync(string path, CancellationToken cancellationToken = default)
    {
        bool? created = false;
        await WritingAsync(
            path,
            async () =>
            {
                var sftp = await SftpAsync(cancellationToken);
                var full = RemotePath.Expand(path, await HomeAsync(cancellationToken));
                try
                {
                    created = await CreateFolderOnceAsync(sftp, full, cancellationToken);
                }
                catch (SftpPathNotFoundException)
                {
                    // Creating the parents over SFTP costs several round trips each (SSH.NET resolves every path
                    // first); one command creates them all.
                    created = null;
                    return;
                }
                // A file written into it next need not ask whether it exists.
                _folders.TryAdd(full, new Lazy<Task>(Task.CompletedTask));
            },
            cancellationToken
        );
        return created;
    }

    private Task UploadOnceAsync(
        string localPath,
        string remotePath,
        long offset,
        Action<long>? progress,
        IncrementalHash? hash,
        CancellationToken cancellationToken
    ) =>
        WithTransferSessionAsync(
            async sftp =>
            {
                var full = RemotePath.Expand(remotePath, await HomeAsync(cancellationToken));
                await CreateFoldersAsync(sftp, RemotePath.Parent(full), cancellationToken);
                // Read a megabyte at a time: SSH.NET asks for one SSH packet's worth (32 KiB) per read, and each system
                // call costs more on a virtual machine than the copy out of this buffer.
                await using var file = new FileStream(
                    localPath,
                    FileMode.Open,
                    FileAccess.Read,
                    FileShare.Read,
                    ReadBufferSize,
                    FileOptions.SequentialScan
                );
                file.Seek(offset, SeekOrigin.Begin);
                if (offset == 0)
                {
                    // SSH.NET's own upload pipelines its writes: much faster than a stream for whole files. Progress is
                    // what it has read (at most its window ahead of what the cluster has). Its asynchronous form stops
                    // at the next read when the run is cancelled (Ctrl+C), where the blocking one copied to the end of
                    // the file first, at the same speed (docs/benchmarks.md, "Design measurements"). Its reads wait
                    // for room on the session (InFlightLimit), and its progress reports the acknowledged writes.
                    await _uploadLimits
                        .GetValue(sftp, _ => new InFlightLimit(TimeProvider.System))
                        .UploadAsync(sftp, new ObservedStream(file, hash, progress), full, cancellationToken);
                    return;
                }
                await using var destination = sftp.Open(full, FileMode.OpenOrCreate, FileAccess.Write);
                destination.SetLength(offset);
                destination.Seek(offset, SeekOrigin.Begin);
                await StreamCopy.CopyAsync(file, destination, hash, progress, cancellationToken);
            },
            remotePath,
            distant => distant ? 1 : UploadsPerSession,
            cancellationToken
        );

    /// <inheritdoc />
    public Task DownloadAsync(
        string remotePath,
        string localPath,
        long offset,
        Action<long>? progress,
        IncrementalHash? hash = null,
        CancellationToken cancellationToken = default
    ) =>
        WithTransferSessionAsync(
            async sftp =>
            {
                var full = RemotePath.Expand(remotePath, await HomeAsync(cancellationToken));
                Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(localPath))!);
                await using var file = StreamCopy.OpenDestination(localPath, offset);
                if (offset == 0)
                {
                    // Asynchronous, as uploads: a cancelled run stops at the next write, at the same speed as the
                    // blocking form (docs/benchmarks.md, "Design measurements").
                    await sftp.DownloadFileAsync(full, new ObservedStream(file, hash, progress), cancellationToken);
                    return;
                }
                await using var source = sftp.Open(full, FileMode.Open, FileAccess.Read);
                source.Seek(offset, SeekOrigin.Begin);
                await StreamCopy.CopyAsync(source, file, hash, progress, cancellationToken);
            },
            remotePath,
            _ => 1,
            cancellationToken
        );

    /// <inheritdoc />
    /// <remarks>
    /// On the control session, without a transfer slot: a rename never waits for a copy to end (at most for the
    /// requests queued before it, when copies share the session), and several renames at once share its round trips.
    /// </remarks>
    public async Task RenameAsync(string from, string to, CancellationToken cancellationToken = default)
    {
        var sftp = await SftpAsync(cancellationToken);
        var home = await HomeAsync(cancellationToken);
        try
        {
            await Task.Run(
                () => sftp.RenameFile(RemotePath.Expand(from, home), RemotePath.Expand(to, home), isPosix: true),
                cancellationToken
            );
        }
        catch (Exception e) when (IsConnectionLoss(e))
        {
            throw new RemoteException(
                $"The connection to {Description} was lost while renaming {from}. "
                    + "Run the same command again: it checks the copy again.",
                e
            )
            {
                Reason = RemoteFailure.ConnectionLost,
            };
        }
    }

    /// <summary>
    /// How many uploads share one SFTP session where the cluster is near: four files at once over one session copied
    /// faster than over two or four sessions, whose cores sat idle a third of the time (docs/benchmarks.md, "Design
    /// measurements"). SFTP multiplexes requests, so files still copy at the same time. Downloads keep a session each:
    /// a session decrypts what it receives on one thread, and four downloads sharing one took about twice as long.
    /// Where the cluster is distant, every copy has a session of its own (<see cref="LinkDistance"/>).
    /// </summary>
    internal const int UploadsPerSession = 4;

    /// <summary>How much of a local file an upload reads at a time.</summary>
    private const int ReadBufferSize = 1024 * 1024;

    /// <summary>
    /// Runs a copy on one of the transfer sessions (<see cref="SftpTransferSessions"/>); a lost connection says what
    /// to do. Whatever a copy throws once its session has lost its connection is that loss: SSH.NET can throw a
    /// NullReferenceException from inside an upload when the connection drops under it.
    /// </summary>
    /// <param name="transfer">The copy.</param>
    /// <param name="what">The path copied, for a message.</param>
    /// <param name="perSession">How many copies share a session, given whether the link is distant.</param>
    /// <param name="cancellationToken">Stops the copy.</param>
    private async Task WithTransferSessionAsync(
        Func<SftpClient, Task> transfer,
        string what,
        Func<bool, int> perSession,
        CancellationToken cancellationToken
    )
    {
        try
        {
            var distant = await IsDistantAsync(cancellationToken);
            // Read by the sessions when the first copy starts.
            _transfers.ParallelTransfers = distant ? DistantParallelTransfers : ParallelTransfers;
            await _transfers.RunAsync(
                async sftp =>
                {
                    try
                    {
                        await transfer(sftp);
                    }
                    catch (Exception e)
                        when (e is not OperationCanceledException and not RemoteException
                            && !IsConnectionLoss(e)
                            && !IsConnected(sftp)
                        )
                    {
                        throw new SshConnectionException(
                            $"The SFTP session's connection ended ({e.GetType().Name}).",
                            e
                        );
                    }
                },
                perSession(distant),
                cancellationToken
            );
        }
        catch (Exception e) when (IsConnectionLoss(e))
        {
            throw new RemoteException(
                $"The connection to {Description} was lost while copying {what}. "
                    + "Run the same command again: it resumes where it stopped.",
                e
            )
            {
                Reason = RemoteFailure.ConnectionLost,
            };
        }
    }

    private static bool IsConnected(BaseClient client)
    {
        try
        {
            return client.IsConnected;
        }
        catch (ObjectDisposedException)
        {
            return false;
        }
    }

    /// <summary>
    /// Bytes per SFTP read or write request of a copy: downloads were a quarter faster with 128 KiB than with 32 KiB,
    /// SSH.NET's default (docs/benchmarks.md, "Design measurements"); a write is cut to the channel's packet size
    /// anyway.
    /// </summary>
    private const uint TransferBufferSize = 128 * 1024;

    /// <summary>Ends the shell <see cref="WarmShell"/> started, if no command took it (once it has started).</summary>
    private void DropWarmShell() =>
        Interlocked
            .Exchange(ref _warming, null)
            ?.ContinueWith(
                t => t.Result?.Dispose(),
                CancellationToken.None,
                TaskContinuationOptions.OnlyOnRanToCompletion,
                TaskScheduler.Default
            );

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        _transfers.Dispose();
        DropWarmShell();
        while (_shells.TryTake(out var shell))
            shell.Dispose();
        _sftp?.Dispose();
        _ssh?.Dispose();
        _connector.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task OpenAsync(CancellationToken cancellationToken)
    {
        while (_shells.TryTake(out var shell))
            shell.Dispose();
        DropWarmShell();
        _ssh?.Dispose();
        _ssh = null; // as in SftpAsync: no disposed client is left behind when the connection fails
        _ssh = await _connector.ConnectSshAsync(cancellationToken);
    }

    /// <summary>
    /// The SFTP session for listings, list files and renames (opened once; again after a lost connection).
    /// </summary>
    private async Task<SftpClient> SftpAsync(CancellationToken cancellationToken, bool alongsideOpen = false)
    {
        if (_sftp is { IsConnected: true } open)
            return open;
        await _sftpOpening.WaitAsync(cancellationToken);
        try
        {
            if (_sftp is { IsConnected: true } opened)
                return opened;
            _sftp?.Dispose();
            _sftp = null; // a disposed client throws where the next caller asks whether it is connected
            _sftp = await ConnectSftpAsync(cancellationToken, alongsideOpen);
            _roundTrip ??= _settings.RoundTrip is { } known ? Task.FromResult(known) : MeasureRoundTripAsync(_sftp);
            return _sftp;
        }
        finally
        {
            _sftpOpening.Release();
        }
    }

    /// <summary>
    /// Times a stat of the session's start folder. SSH.NET resolves a path before it stats it, so each stat is two
    /// round trips.
    /// </summary>
    private static async Task<TimeSpan> MeasureRoundTripAsync(SftpClient sftp)
    {
        var stat = await LinkDistance.ShortestAsync(
            ct => sftp.GetAttributesAsync(sftp.WorkingDirectory, ct),
            TimeProvider.System,
            CancellationToken.None
        );
        return stat / 2;
    }

    /// <inheritdoc />
    /// <remarks>
    /// Where the link is distant, opens a session for each copy that will run at once (their handshakes take several
    /// round trips), as soon as the distance is known.
    /// </remarks>
    public void PrepareCopies() =>
        _ = Task.Run(async () =>
        {
            try
            {
                if (await IsDistantAsync(CancellationToken.None))
                    _transfers.Open(DistantParallelTransfers, CancellationToken.None);
            }
            catch (Exception e) when (e is RemoteException or SshException or SocketException)
            {
                // The copies open what they need, and report a connection that cannot be opened.
            }
        });

    /// <summary>
    /// Whether the link is distant (<see cref="LinkDistance"/>), decided once. A link whose round trip could not be
    /// measured counts as near.
    /// </summary>
    private async Task<bool> IsDistantAsync(CancellationToken cancellationToken)
    {
        if (_distant is { } decided)
            return decided;
        await SftpAsync(cancellationToken);
        var roundTrip = TimeSpan.Zero;
        try
        {
            roundTrip = await _roundTrip!.WaitAsync(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException) { }
        return _distant ??= LinkDistance.IsDistant(roundTrip);
    }

    /// <summary>
    /// A new SFTP session to the login node (the SSH connection is opened again first if it was lost, unless
    /// <paramref name="alongsideOpen"/>: it is being opened at the same time).
    /// </summary>
    private async Task<SftpClient> ConnectSftpAsync(CancellationToken cancellationToken, bool alongsideOpen = false)
    {
        if (!alongsideOpen && _ssh is not { IsConnected: true })
            await OpenAsync(cancellationToken);
        return await _connector.ConnectSftpAsync(TransferBufferSize, cancellationToken);
    }

    /// <summary>
    /// Creates a folder: false when it existed already. Throws <see cref="SftpPathNotFoundException"/> when its parent
    /// does not exist.
    /// </summary>
    private static async Task<bool> CreateFolderOnceAsync(
        SftpClient sftp,
        string folder,
        CancellationToken cancellationToken
    )
    {
        try
        {
            await sftp.CreateDirectoryAsync(folder, cancellationToken);
            return true;
        }
        catch (SshException e)
            when (e is not SftpPathNotFoundException and not SshConnectionException and not SshOperationTimeoutException
            )
        {
            if (await sftp.ExistsAsync(folder, cancellationToken))
                return false;
            throw;
        }
    }

    /// <summary>
    /// Creates a folder and its missing parents. Each folder is asked for once per run: copies starting together into
    /// one folder wait for the same request instead of each sending their own (one round trip less per file). A
    /// request that failed is forgotten, so the next copy asks again.
    /// </summary>
    private async Task CreateFoldersAsync(SftpClient sftp, string folder, CancellationToken cancellationToken)
    {
        if (folder is "/" or "")
            return;
        var creating = _folders.GetOrAdd(folder, f => new Lazy<Task>(() =>
            CreateFolderAsync(sftp, f, cancellationToken)
        ));
        try
        {
            await creating.Value;
        }
        catch
        {
            _folders.TryRemove(new KeyValuePair<string, Lazy<Task>>(folder, creating));
            throw;
        }
    }

    private async Task CreateFolderAsync(SftpClient sftp, string folder, CancellationToken cancellationToken)
    {
        if (await sftp.ExistsAsync(folder, cancellationToken))
            return;
        await CreateFoldersAsync(sftp, RemotePath.Parent(folder), cancellationToken);
        try
        {
            await sftp.CreateDirectoryAsync(folder, cancellationToken);
        }
        catch (SshException)
        {
            if (!await sftp.ExistsAsync(folder, cancellationToken))
                throw; // else created meanwhile (by another program)
        }
    }
}
