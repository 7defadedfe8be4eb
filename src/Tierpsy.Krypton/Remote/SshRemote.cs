using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Text;
using Renci.SshNet;
using Renci.SshNet.Common;

namespace Tierpsy.Krypton.Remote;

/// <summary>
/// The login node over SSH (SSH.NET): one SSH connection for commands, and SFTP sessions opened on first use, all
/// kept for the whole run. Commands run in long-lived bash shells on that connection (<see cref="RemoteShell"/>), so
/// the user's start-up files run once per shell, not once per command. Host keys are checked against known_hosts; an
/// unknown or changed key stops the run. A connection found closed before a command is opened again; a command cut
/// off midway is reported, never re-run.
/// </summary>
public sealed class SshRemote : IRemote
{
    private readonly SshSettings _settings;
    private readonly IReadOnlyList<IPrivateKeySource> _keys;
    private SshClient? _jump;
    private ForwardedPortLocal? _tunnel;
    private SshClient? _ssh;
    private SftpClient? _sftp;
    private string? _home;
    private readonly List<TransferSession> _transferSessions = [];
    private readonly SemaphoreSlim _sessionChoice = new(1, 1);
    private readonly SemaphoreSlim _sftpOpening = new(1, 1);
    private readonly ConcurrentBag<RemoteShell> _shells = [];
    private bool _noShell;
    private readonly ConcurrentDictionary<string, bool> _knownFolders = new(StringComparer.Ordinal);
    private SemaphoreSlim? _transferSlots;

    private SshRemote(SshSettings settings, IReadOnlyList<IPrivateKeySource> keys)
    {
        _settings = settings;
        _keys = keys;
    }

    /// <summary>How many file transfers run at once (default 4); up to <see cref="UploadsPerSession"/> uploads share an SFTP session.</summary>
    public int ParallelTransfers { get; set; } = 4;

    /// <inheritdoc />
    public string Description => $"{_settings.User}@{_settings.Host}:{_settings.Port}";

    /// <summary>Connects, checking the host key and authenticating with the configured keys.</summary>
    /// <exception cref="RemoteException">Unreachable host, unknown or changed host key, refused key, unreadable key file.</exception>
    public static async Task<SshRemote> ConnectAsync(SshSettings settings, CancellationToken cancellationToken = default)
    {
        var remote = new SshRemote(settings, LoadKeys(settings));
        // Without a jump host (whose tunnel the SFTP session goes through) or a host key to accept (which both would
        // add to known_hosts), the SFTP session's handshake needs nothing from the SSH connection's: both run at
        // once, ~0.2 s less before the first listing or copy. A refusal is reported from the SSH connection.
        var sftp = settings.ProxyJump is null && settings.AcceptFingerprint is null ? remote.SftpAsync(cancellationToken, alongsideOpen: true) : null;
        try
        {
            await remote.OpenAsync(cancellationToken);
        }
        catch
        {
            // The SSH connection's error is the one to report; the SFTP session is closed whether it opened or not.
            if (sftp is not null) await sftp.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
            await remote.DisposeAsync();
            throw;
        }
        // An SFTP session that failed to open is opened again (and its error reported) where it is first needed.
        _ = sftp?.ContinueWith(t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        return remote;
    }

    /// <inheritdoc />
    public async Task<CommandResult> RunAsync(string command, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        if (_ssh is not { IsConnected: true }) await OpenAsync(cancellationToken);
        var limit = timeout ?? TimeSpan.FromMinutes(10);
        var shell = _noShell ? null : await ShellAsync(cancellationToken);
        if (shell is null) return await ExecuteAsync(command, limit, cancellationToken);
        try
        {
            var result = await shell.RunAsync(command, limit, cancellationToken);
            _shells.Add(shell);
            return result;
        }
        catch (TimeoutException)
        {
            throw new RemoteException($"The command did not finish within {limit} on {Description}: {LocalRemote.Shorten(command)}");
        }
        catch (Exception e) when (e is System.Threading.Channels.ChannelClosedException or SshException or SocketException or ObjectDisposedException or IOException)
        {
            shell.Dispose();
            throw new RemoteException($"The connection to {Description} was lost while running: {LocalRemote.Shorten(command)}. It may or may not have run; check before repeating anything that changes the cluster.", e);
        }
    }

    /// <summary>An idle shell of this connection, or a new one (null when the login shell cannot run one).</summary>
    private async Task<RemoteShell?> ShellAsync(CancellationToken cancellationToken)
    {
        while (_shells.TryTake(out var idle))
        {
            if (idle.IsAlive) return idle;
            idle.Dispose();
        }
        var shell = await RemoteShell.StartAsync(_ssh!, TimeSpan.FromMinutes(1), cancellationToken);
        _noShell = shell is null;
        return shell;
    }

    /// <summary>Runs a command on a channel of its own (login shells other than bash).</summary>
    private async Task<CommandResult> ExecuteAsync(string command, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var ssh = _ssh!.CreateCommand(command);
        ssh.CommandTimeout = timeout;
        try
        {
            var execution = ssh.ExecuteAsync(cancellationToken);
            ssh.CreateInputStream().Dispose(); // stdin is empty, as the shells' /dev/null
            await execution;
        }
        catch (SshOperationTimeoutException)
        {
            throw new RemoteException($"The command did not finish within {ssh.CommandTimeout} on {Description}: {LocalRemote.Shorten(command)}");
        }
        catch (Exception e) when (e is SshConnectionException or SocketException or ObjectDisposedException)
        {
            throw new RemoteException($"The connection to {Description} was lost while running: {LocalRemote.Shorten(command)}. It may or may not have run; check before repeating anything that changes the cluster.", e);
        }
        return new CommandResult(ssh.ExitStatus ?? -1, ssh.Result, ssh.Error);
    }

    /// <inheritdoc />
    public Task WriteTextAsync(string path, string content, CancellationToken cancellationToken = default) =>
        WritingAsync(path, async () =>
        {
            var sftp = await SftpAsync(cancellationToken);
            var full = RemotePath.Expand(path, await HomeAsync(cancellationToken));
            CreateFolders(sftp, RemotePath.Parent(full));
            using var stream = new MemoryStream(new UTF8Encoding(false).GetBytes(content));
            await sftp.UploadFileAsync(stream, full, cancellationToken);
        }, cancellationToken);

    /// <inheritdoc />
    public async Task<string> ReadTextAsync(string path, CancellationToken cancellationToken = default)
    {
        var sftp = await SftpAsync(cancellationToken);
        using var stream = new MemoryStream();
        await sftp.DownloadFileAsync(RemotePath.Expand(path, await HomeAsync(cancellationToken)), stream, cancellationToken);
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <inheritdoc />
    /// <remarks>Where the SFTP session starts (the home folder, as SFTP resolves it); no shell starts for it.</remarks>
    public async Task<string> HomeAsync(CancellationToken cancellationToken = default)
    {
        if (_home is not null) return _home;
        var sftp = await SftpAsync(cancellationToken);
        if (sftp.WorkingDirectory is { Length: > 0 } start && start.StartsWith('/')) return _home = start;
        var result = await RunAsync("printf '%s' \"$HOME\"", TimeSpan.FromSeconds(30), cancellationToken);
        return _home = result.ExitCode == 0 && result.Output.StartsWith('/') ? result.Output
            : throw new RemoteException($"Could not read $HOME on {Description}: {result.All.Trim()}");
    }

    /// <inheritdoc />
    /// <remarks>
    /// Reads the folders over SFTP, up to <see cref="ListingRequests"/> of them at once: no shell starts, so the
    /// user's start-up files (about a second on many login nodes) do not run for it. A folder that cannot be read is
    /// left out, as <c>find</c> leaves it out.
    /// </remarks>
    public async Task<IReadOnlyList<RemoteFileInfo>> ListFilesAsync(string root, IReadOnlyList<string> folders, CancellationToken cancellationToken = default)
    {
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
                await foreach (var entry in sftp.ListDirectoryAsync(RemotePath.Combine(top, folder), cancellationToken)) entries.Add(entry);
            }
            catch (SshException e) when (e is not SshConnectionException and not SshOperationTimeoutException)
            {
                return; // missing, unreadable or not a folder
            }
            finally
            {
                requests.Release();
            }
            var below = new List<Task>();
            foreach (var entry in entries.Where(e => e.Name is not "." and not ".."))
            {
                var path = folder + "/" + entry.Name;
                if (entry.IsDirectory) below.Add(WalkAsync(path));
                else if (entry.IsRegularFile) files.Add(new RemoteFileInfo(path, entry.Length, new DateTimeOffset(entry.LastWriteTimeUtc, TimeSpan.Zero).ToUnixTimeSeconds()));
            }
            await Task.WhenAll(below);
        }

        try
        {
            await Task.WhenAll(folders.Select(f => WalkAsync(f.TrimEnd('/'))));
        }
        catch (Exception e) when (IsConnectionLoss(e))
        {
            throw new RemoteException($"The connection to {Description} was lost while listing {top}. Run the same command again.", e);
        }
        return [.. files];
    }

    /// <summary>An error that means the connection (or a session on it) is gone, not that the cluster refused something.</summary>
    private static bool IsConnectionLoss(Exception e) => e is SshConnectionException or SocketException or ObjectDisposedException or SshOperationTimeoutException;

    /// <summary>How many folders a listing reads at once (requests in flight hide the round trips of a distant cluster).</summary>
    private const int ListingRequests = 16;

    /// <inheritdoc />
    public Task UploadAsync(string localPath, string remotePath, long offset, Action<long>? progress, System.Security.Cryptography.IncrementalHash? hash = null, CancellationToken cancellationToken = default) =>
        WritingAsync(remotePath, () => UploadOnceAsync(localPath, remotePath, offset, progress, hash, cancellationToken), cancellationToken);

    /// <summary>Runs a write of <paramref name="remotePath"/>; a write the cluster refuses (full disk, no permission) becomes a message that says what to do.</summary>
    private async Task WritingAsync(string remotePath, Func<Task> write, CancellationToken cancellationToken)
    {
        try
        {
            await write();
        }
        catch (SshException e) when (e is not SshConnectionException and not SshOperationTimeoutException)
        {
            throw new RemoteException(await WriteFailureAsync(remotePath, e, cancellationToken), e);
        }
    }

    /// <summary>
    /// Says why the cluster refused a write, as far as it can tell: SFTP reports a full disk only as "Failure", so the
    /// free space of the folder is read and shown.
    /// </summary>
    private async Task<string> WriteFailureAsync(string remotePath, SshException e, CancellationToken cancellationToken)
    {
        var folder = RemotePath.Parent(remotePath);
        var space = "unknown";
        try
        {
            var df = await RunAsync($"df -Pk -- {ShellQuote.Path(folder)} | tail -n 1", TimeSpan.FromSeconds(30), cancellationToken);
            var fields = df.Output.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (df.ExitCode == 0 && fields.Length >= 4 && long.TryParse(fields[3], out var kib)) space = Transfer.TransferProgress.Size(kib * 1024);
        }
        catch (RemoteException)
        {
            // The reason stays unknown; the message still says what to check.
        }
        return $"The cluster could not write {remotePath} ({e.Message}); free space in {folder}: {space}. " +
               "The disk may be full or the folder not writable: free space there (or fix its permissions), then run the same command again: it resumes where it stopped.";
    }

    private Task UploadOnceAsync(string localPath, string remotePath, long offset, Action<long>? progress, System.Security.Cryptography.IncrementalHash? hash, CancellationToken cancellationToken) =>
        WithTransferSessionAsync(async sftp =>
        {
            var full = RemotePath.Expand(remotePath, await HomeAsync(cancellationToken));
            CreateFolders(sftp, RemotePath.Parent(full));
            await using var file = File.OpenRead(localPath);
            file.Seek(offset, SeekOrigin.Begin);
            if (offset == 0)
            {
                // SSH.NET's own upload pipelines its writes: much faster than a stream for whole files. Progress is
                // what it has read (at most its window ahead of what the cluster has).
                await Task.Run(() => sftp.UploadFile(new ObservedStream(file, hash, progress), full, canOverride: true), cancellationToken);
                return;
            }
            await using var destination = sftp.Open(full, FileMode.OpenOrCreate, FileAccess.Write);
            destination.SetLength(offset);
            destination.Seek(offset, SeekOrigin.Begin);
            await StreamCopy.CopyAsync(file, destination, hash, progress, cancellationToken);
        }, remotePath, UploadsPerSession, cancellationToken);

    /// <inheritdoc />
    public Task DownloadAsync(string remotePath, string localPath, long offset, Action<long>? progress, System.Security.Cryptography.IncrementalHash? hash = null, CancellationToken cancellationToken = default) =>
        WithTransferSessionAsync(async sftp =>
        {
            var full = RemotePath.Expand(remotePath, await HomeAsync(cancellationToken));
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(localPath))!);
            await using var file = StreamCopy.OpenDestination(localPath, offset);
            if (offset == 0)
            {
                await Task.Run(() => sftp.DownloadFile(full, new ObservedStream(file, hash, progress)), cancellationToken);
                return;
            }
            await using var source = sftp.Open(full, FileMode.Open, FileAccess.Read);
            source.Seek(offset, SeekOrigin.Begin);
            await StreamCopy.CopyAsync(source, file, hash, progress, cancellationToken);
        }, remotePath, perSession: 1, cancellationToken);

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
            await Task.Run(() => sftp.RenameFile(RemotePath.Expand(from, home), RemotePath.Expand(to, home), isPosix: true), cancellationToken);
        }
        catch (Exception e) when (IsConnectionLoss(e))
        {
            throw new RemoteException($"The connection to {Description} was lost while renaming {from}. Run the same command again: it checks the copy again.", e);
        }
    }

    /// <summary>
    /// How many uploads share one SFTP session. Measured on the loopback benchmark: four files at once over ONE
    /// session copied 1 GiB in 3.8-4.2 s, over two sessions in 5.7-6.0 s, over four sessions in 9.5 s (a third of
    /// the time both machines' cores sat idle). SFTP multiplexes requests, so files still copy at the same time.
    /// Downloads keep a session each: a session decrypts what it receives on one thread, and four downloads sharing
    /// one took 22-30 s for the same 1 GiB instead of 12-14 s.
    /// </summary>
    internal const int UploadsPerSession = 4;

    /// <summary>
    /// Runs a transfer while at most <see cref="ParallelTransfers"/> others run, on the least busy of the SFTP
    /// sessions (one per <paramref name="perSession"/> transfers), opening sessions as needed.
    /// </summary>
    private async Task WithTransferSessionAsync(Func<SftpClient, Task> transfer, string what, int perSession, CancellationToken cancellationToken)
    {
        _transferSlots ??= new SemaphoreSlim(Math.Max(1, ParallelTransfers));
        await _transferSlots.WaitAsync(cancellationToken);
        TransferSession? session = null;
        try
        {
            session = await TransferSessionAsync(perSession, cancellationToken);
            await transfer(session.Client);
        }
        catch (Exception e) when (IsConnectionLoss(e))
        {
            if (session is not null) Drop(session);
            throw new RemoteException($"The connection to {Description} was lost while copying {what}. Run the same command again: it resumes where it stopped.", e);
        }
        finally
        {
            if (session is not null) lock (_transferSessions) session.Users--;
            _transferSlots.Release();
        }
    }

    /// <summary>The connected session with the fewest transfers, or a new one while there are fewer than needed.</summary>
    private async Task<TransferSession> TransferSessionAsync(int perSession, CancellationToken cancellationToken)
    {
        var wanted = (Math.Max(1, ParallelTransfers) + perSession - 1) / perSession;
        await _sessionChoice.WaitAsync(cancellationToken);
        try
        {
            lock (_transferSessions)
            {
                foreach (var dead in _transferSessions.Where(t => !IsOpen(t.Client)).ToList()) Drop(dead);
                var least = _transferSessions.MinBy(t => t.Users);
                if (least is not null && (least.Users < perSession || _transferSessions.Count >= wanted))
                {
                    least.Users++;
                    return least;
                }
            }
            // The first transfer session is the control session, already open: copies start without waiting for a
            // connection, and the login node runs one sshd fewer. Further ones are new connections.
            var control = await SftpAsync(cancellationToken);
            bool shared;
            lock (_transferSessions) shared = _transferSessions.All(t => t.Client != control);
            var session = new TransferSession(shared ? control : await ConnectSftpAsync(TransferBufferSize, cancellationToken), shared) { Users = 1 };
            lock (_transferSessions) _transferSessions.Add(session);
            return session;
        }
        finally
        {
            _sessionChoice.Release();
        }
    }

    private void Drop(TransferSession session)
    {
        lock (_transferSessions) _transferSessions.Remove(session);
        // The control session is closed (and opened again when needed) by SftpAsync and DisposeAsync.
        if (!session.IsControl) session.Client.Dispose();
    }

    /// <summary>Whether a session is connected; a session closed meanwhile (the control session after a lost connection) is not.</summary>
    private static bool IsOpen(SftpClient client)
    {
        try { return client.IsConnected; }
        catch (ObjectDisposedException) { return false; }
    }

    /// <summary>
    /// Bytes per SFTP read or write request of a copy. Downloads of 1 GiB took 5.7-6.0 s with 128 KiB, 7.6 s with
    /// 32 KiB (SSH.NET's default); a write is cut to the channel's packet size anyway.
    /// </summary>
    private const uint TransferBufferSize = 128 * 1024;

    /// <summary>An SFTP session for copies (possibly the control session) and how many transfers use it now.</summary>
    private sealed class TransferSession(SftpClient client, bool isControl = false)
    {
        public SftpClient Client { get; } = client;
        public bool IsControl { get; } = isControl;
        public int Users { get; set; }
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        lock (_transferSessions) foreach (var session in _transferSessions.ToList()) Drop(session);
        while (_shells.TryTake(out var shell)) shell.Dispose();
        _sftp?.Dispose();
        _ssh?.Dispose();
        _tunnel?.Dispose();
        _jump?.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task OpenAsync(CancellationToken cancellationToken)
    {
        while (_shells.TryTake(out var shell)) shell.Dispose();
        _ssh?.Dispose();
        if (_settings.ProxyJump is { } jumpSpec)
        {
            var (jumpUser, jumpHost, jumpPort) = SshConfigFile.ParseJump(jumpSpec);
            _tunnel?.Dispose();
            _jump?.Dispose();
            _jump = new SshClient(Info(jumpHost, jumpPort ?? 22, jumpUser ?? _settings.User));
            await ConnectCheckedAsync(_jump, jumpHost, jumpPort ?? 22, cancellationToken);
            _tunnel = new ForwardedPortLocal("127.0.0.1", 0, _settings.Host, (uint)_settings.Port);
            _jump.AddForwardedPort(_tunnel);
            _tunnel.Start();
        }
        _ssh = new SshClient(TargetInfo());
        await ConnectCheckedAsync(_ssh, _settings.Host, _settings.Port, cancellationToken);
    }

    /// <summary>The SFTP session for listings, list files and renames (opened once; again after a lost connection).</summary>
    private async Task<SftpClient> SftpAsync(CancellationToken cancellationToken, bool alongsideOpen = false)
    {
        if (_sftp is { IsConnected: true } open) return open;
        await _sftpOpening.WaitAsync(cancellationToken);
        try
        {
            if (_sftp is { IsConnected: true } opened) return opened;
            _sftp?.Dispose();
            return _sftp = await ConnectSftpAsync(TransferBufferSize, cancellationToken, alongsideOpen);
        }
        finally
        {
            _sftpOpening.Release();
        }
    }

    /// <summary>
    /// A new SFTP session to the login node (the SSH connection is opened again first if it was lost, unless
    /// <paramref name="alongsideOpen"/>: it is being opened at the same time).
    /// </summary>
    private async Task<SftpClient> ConnectSftpAsync(uint bufferSize, CancellationToken cancellationToken, bool alongsideOpen = false)
    {
        if (!alongsideOpen && _ssh is not { IsConnected: true }) await OpenAsync(cancellationToken);
        var sftp = new SftpClient(TargetInfo()) { OperationTimeout = TimeSpan.FromMinutes(2), BufferSize = bufferSize };
        await ConnectCheckedAsync(sftp, _settings.Host, _settings.Port, cancellationToken);
        return sftp;
    }

    /// <summary>Connects a client, trusting only a host key that known_hosts lists for <paramref name="host"/> (or that the user accepted).</summary>
    private async Task ConnectCheckedAsync(BaseClient client, string host, int port, CancellationToken cancellationToken)
    {
        HostKeyStatus? refused = null;
        string fingerprint = "", keyType = "";
        client.HostKeyReceived += (_, e) =>
        {
            keyType = e.HostKeyName;
            fingerprint = KnownHosts.Fingerprint(e.HostKey);
            var lines = File.Exists(_settings.KnownHostsPath) ? File.ReadAllLines(_settings.KnownHostsPath) : [];
            var status = KnownHosts.Check(lines, host, port, e.HostKeyName, e.HostKey);
            if (status == HostKeyStatus.Unknown && _settings.AcceptFingerprint == fingerprint)
            {
                KnownHosts.Append(_settings.KnownHostsPath, host, port, e.HostKeyName, e.HostKey);
                status = HostKeyStatus.Known;
            }
            e.CanTrust = status == HostKeyStatus.Known;
            if (!e.CanTrust) refused = status;
        };
        try
        {
            await client.ConnectAsync(cancellationToken);
        }
        catch (SshConnectionException) when (refused is { } status)
        {
            throw new RemoteException(HostKeyMessage(status, host, port, keyType, fingerprint));
        }
        catch (SshAuthenticationException e)
        {
            throw new RemoteException($"{_settings.User}@{host}:{port} refused the login ({e.Message}). Check --user, and that one of these keys is in the cluster's authorized_keys: " +
                                      $"{string.Join(", ", _settings.IdentityFiles)}. Nothing was done on the cluster.", e);
        }
        catch (Exception e) when (e is SocketException or SshOperationTimeoutException or SshConnectionException)
        {
            throw new RemoteException($"Cannot reach {host}:{port} ({e.Message}). Check --host and --port, and that this computer can reach the cluster (VPN, jump host). Nothing was done on the cluster.", e);
        }
    }

    internal static string HostKeyMessage(HostKeyStatus status, string host, int port, string keyType, string fingerprint) => status switch
    {
        HostKeyStatus.Changed =>
            $"The host key of {KnownHosts.LookupName(host, port)} has CHANGED: known_hosts lists another {keyType} key. Someone may be intercepting the connection, or the cluster's key was replaced. " +
            $"Nothing was done. Ask the cluster's admins for its fingerprint; only if it is {fingerprint}, remove the old key with ssh-keygen -R '{KnownHosts.LookupName(host, port)}' and run again with --accept-host-key {fingerprint}.",
        HostKeyStatus.Revoked => $"The host key of {KnownHosts.LookupName(host, port)} ({fingerprint}) is marked @revoked in known_hosts. Nothing was done.",
        _ =>
            $"The host {KnownHosts.LookupName(host, port)} is not in known_hosts yet. It presented the {keyType} key {fingerprint}. " +
            $"Nothing was done. If that is the cluster's fingerprint (ask its admins), accept it once with --accept-host-key {fingerprint}.",
    };

    /// <summary>A new ConnectionInfo for every client: SSH.NET's authentication methods keep state per connection.</summary>
    private ConnectionInfo Info(string host, int port, string user)
    {
        var info = new ConnectionInfo(host, port, user, new PrivateKeyAuthenticationMethod(user, _keys.ToArray())) { Timeout = _settings.ConnectTimeout };
        PreferAesGcm(info.Encryptions);
        return info;
    }

    /// <summary>
    /// Offers AES-GCM first (SSH.NET offers AES-CTR with HMAC-SHA2 first): it needs no separate MAC pass, which the
    /// benchmark measured as faster copies, downloads most. Every other cipher stays offered, in its order.
    /// </summary>
    private static void PreferAesGcm(IDictionary<string, CipherInfo> ciphers)
    {
        var all = ciphers.ToList();
        ciphers.Clear();
        foreach (var cipher in all.OrderBy(c => c.Key switch { "aes128-gcm@openssh.com" => 0, "aes256-gcm@openssh.com" => 1, _ => 2 }))
            ciphers.Add(cipher.Key, cipher.Value);
    }

    /// <summary>The login node, directly or through the jump host's tunnel.</summary>
    private ConnectionInfo TargetInfo() =>
        _tunnel is { IsStarted: true } tunnel ? Info("127.0.0.1", (int)tunnel.BoundPort, _settings.User) : Info(_settings.Host, _settings.Port, _settings.User);

    private static List<IPrivateKeySource> LoadKeys(SshSettings settings)
    {
        if (settings.IdentityFiles.Count == 0)
            throw new RemoteException("No SSH key to log in with: set --identity-file, an IdentityFile in ~/.ssh/config, or create ~/.ssh/id_ed25519 and add its .pub to the cluster's authorized_keys.");
        var keys = new List<IPrivateKeySource>();
        foreach (var file in settings.IdentityFiles)
        {
            if (!File.Exists(file)) throw new RemoteException($"The SSH key {file} does not exist. Check --identity-file or IdentityFile in ~/.ssh/config.");
            try
            {
                keys.Add(settings.Passphrase is { Length: > 0 } passphrase ? new PrivateKeyFile(file, passphrase) : new PrivateKeyFile(file));
            }
            catch (SshPassPhraseNullOrEmptyException)
            {
                throw new RemoteException($"The SSH key {file} is protected by a passphrase. Give it in the environment variable KRYPTON_KEY_PASSPHRASE (it is never printed or stored).");
            }
            catch (Exception e) when (e is SshException or InvalidOperationException or ArgumentException)
            {
                throw new RemoteException($"Cannot read the SSH key {file}: {e.Message}" + (settings.Passphrase is { Length: > 0 } ? " (is the passphrase right?)" : ""));
            }
        }
        return keys;
    }

    /// <summary>Creates a folder and its missing parents; folders known to exist are not asked for again (one round trip less per file).</summary>
    private void CreateFolders(SftpClient sftp, string folder)
    {
        if (folder is "/" or "" || _knownFolders.ContainsKey(folder)) return;
        if (!sftp.Exists(folder))
        {
            CreateFolders(sftp, RemotePath.Parent(folder));
            try { sftp.CreateDirectory(folder); }
            catch (SshException) when (sftp.Exists(folder)) { } // created meanwhile by a parallel transfer
        }
        _knownFolders[folder] = true;
    }
}
