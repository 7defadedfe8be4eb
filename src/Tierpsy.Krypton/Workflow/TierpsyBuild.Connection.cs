using Tierpsy.Krypton.Remote;
using Tierpsy.Krypton.Schedulers;
using Tierpsy.Krypton.Targets;
using Tierpsy.Krypton.Text;

namespace Tierpsy.Krypton.Workflow;

public abstract partial class TierpsyBuild
{
    /// <summary>
    /// SSH private key(s) to log in with; default: IdentityFile of ~/.ssh/config, else ~/.ssh/id_ed25519, id_ecdsa,
    /// id_rsa.
    /// </summary>
    [Parameter("SSH private key(s); default from ~/.ssh/config or ~/.ssh/id_*")]
    public string[] IdentityFile { get; set; } = [];

    /// <summary>
    /// Passphrase of the SSH key; from the environment (KRYPTON_KEY_PASSPHRASE) or a prompt, never stored.
    /// </summary>
    [Parameter("Passphrase of the SSH key (set KRYPTON_KEY_PASSPHRASE; never stored)"), Secret]
    public string? KeyPassphrase { get; set; }

    /// <summary>A host key fingerprint (<c>SHA256:…</c>) to accept and add to known_hosts on first use.</summary>
    [Parameter("Host key fingerprint (SHA256:...) to accept on first connection; it is then added to known_hosts")]
    public string? AcceptHostKey { get; set; }

    /// <summary>The known_hosts file host keys are checked against.</summary>
    [Parameter("known_hosts file that host keys are checked against (default ~/.ssh/known_hosts)")]
    public string? KnownHostsFile { get; set; }

    private IRemote? _remote;
    private ProjectLayout? _layout;

    /// <summary>The scheduler chosen with <see cref="Scheduler"/>.</summary>
    private protected IScheduler SchedulerImplementation => Scheduler.CreateScheduler();

    /// <summary>The project's remembered state in <c>.krypton/state/</c>.</summary>
    private protected ProjectState State => new(RootDirectory);

    /// <summary>
    /// One Stage, Retrieve or Clean of this project at a time, on this computer (<see cref="TransferLock"/>) and on the
    /// cluster (<see cref="ClusterLock"/>); none with --dry-run, which changes nothing.
    /// </summary>
    /// <param name="target">The target that takes the locks, named to another run that finds them held.</param>
    /// <param name="ct">Stops the wait for the cluster.</param>
    /// <param name="whileLocking">
    /// Work that needs this computer's lock but not the cluster's, started once the first is held, with the connection
    /// as it opens; the cluster's lock is taken meanwhile, and both are awaited.
    /// </param>
    private async Task<IAsyncDisposable?> LockTransfersAsync(
        string target,
        CancellationToken ct,
        Func<Task<IRemote>, Task>? whileLocking = null
    )
    {
        if (IsDryRun)
            return null;
        var local = TransferLock.Acquire(State.Folder, target);
        try
        {
            var connecting = ConnectAsync(ct);
            var alongside = whileLocking?.Invoke(connecting) ?? Task.CompletedTask;
            var locking = LockClusterAsync(connecting, target, ct);
            try
            {
                await Task.WhenAll(locking, alongside);
            }
            catch when (locking.IsCompletedSuccessfully)
            {
                await locking.Result.DisposeAsync();
                throw;
            }
            return new BothLocks(local, locking.Result);
        }
        catch
        {
            local.Dispose();
            throw;
        }
    }

    private async Task<ClusterLock> LockClusterAsync(Task<IRemote> connecting, string target, CancellationToken ct)
    {
        var remote = await connecting;
        var layout = await LayoutAsync(ct);
        return await ClusterLock.AcquireAsync(remote, layout.Workspace, target, Log.Warning, ct);
    }

    /// <summary>This computer's lock and the cluster's, released in the reverse order.</summary>
    private sealed class BothLocks(TransferLock local, ClusterLock cluster) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await cluster.DisposeAsync();
            local.Dispose();
        }
    }

    /// <summary>
    /// The cluster, connected once per run: over SSH, or this computer with <c>--scheduler local</c> and no host.
    /// With <c>--dry-run</c> nothing connects; commands are printed instead.
    /// </summary>
    private protected virtual async Task<IRemote> ConnectAsync(CancellationToken cancellationToken)
    {
        if (_remote is not null)
            return _remote;
        var local = string.IsNullOrEmpty(Host) && Scheduler == SchedulerKind.Local;
        if (!local && string.IsNullOrEmpty(Host))
            throw new InvalidOperationException(
                "No cluster host: set --host (or \"Host\" in .krypton/parameters.json), or use --scheduler local to "
                    + "run on this computer."
            );
        if (IsDryRun)
            return _remote = new DryRunRemote(Log, local ? "this computer" : $"{User}@{Host}");
        if (local)
            return _remote = new LocalRemote();

        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        var settings = SshSettings.Resolve(
            Host!,
            Port == 22 ? null : Port,
            string.IsNullOrEmpty(User) ? null : User,
            IdentityFile
                .Select(f => RemotePath.Expand(f, home))
                .Select(f => Path.GetFullPath(f, RootDirectory))
                .ToList(),
            KeyPassphrase,
            AcceptHostKey,
            home,
            knownHostsPath: KnownHostsFile is { Length: > 0 } k
                ? Path.GetFullPath(RemotePath.Expand(k, home), RootDirectory)
                : null
        );
        // The ssh-agent of the user's session, as ssh itself finds it (a socket, not a setting of the build).
        settings = settings with { AgentSocket = Environment.GetEnvironmentVariable("SSH_AUTH_SOCK") };
        Log.Verbose(
            $"connecting to {settings.User}@{settings.Host}:{settings.Port}"
                + (settings.ProxyJump is { } jump ? $" through {jump}" : "")
        );
        var remote = await SshRemote.ConnectAsync(settings, cancellationToken);
        remote.Notice = Log.Info;
        return _remote = remote;
    }

    /// <summary>
    /// Refuses a remote root that Tierpsy cannot handle, before anything is copied or listed: Tierpsy prints its
    /// commands with paths in single quotes and does not escape a quote inside one, so with a <c>'</c> in the root
    /// (<c>~/tierpsy_lab's</c>) tasks ran on cut paths and wrote outside the project.
    /// </summary>
    private void CheckRemoteRootForTierpsy()
    {
        if (!RemoteRoot.Contains('\'', StringComparison.Ordinal))
            return;
        throw new ArgumentException(
            $"""
            The remote root {RemoteRoot} holds a single quote ('). Tierpsy prints its commands without escaping quotes,
            so its tasks would run on cut paths and write outside the project. Choose a remote root without one
            (--remote-root, or "RemoteRoot" in .krypton/parameters.json), e.g. {WithoutQuotes(RemoteRoot)}.
            Nothing was copied or submitted.
            """
        );
    }

    private static string WithoutQuotes(string path) => path.Replace("'", "", StringComparison.Ordinal);

    /// <summary>Stage and Retrieve: after a lost connection, reconnect and resume at most this many times.</summary>
    [Parameter("Stage, Retrieve: after a lost connection, reconnect and resume at most this many times", Minimum = 0)]
    public int Reconnects { get; set; } = 3;

    /// <summary>
    /// Runs a target that is safe to run again (Stage, Retrieve, Clean). When the connection is lost, it reconnects
    /// and runs again up to <paramref name="reconnects"/> times (waiting 2, 4, 8 ... s, so a link that flaps can come
    /// back; a cluster that cannot be reached then is waited for too). When it gives up, the message says that running
    /// it again resumes, instead of leaving the user to wonder whether a command changed the cluster.
    /// </summary>
    private async Task ResumingAsync(string target, Func<Task> body, CancellationToken ct, int reconnects = 0)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await body();
                return;
            }
            catch (RemoteException e)
                when (attempt <= reconnects
                    && (
                        e.Reason == RemoteFailure.ConnectionLost
                        || (attempt > 1 && e.Reason == RemoteFailure.Unreachable)
                    )
                )
            {
                var wait = TimeSpan.FromSeconds(1 << attempt);
                Log.Verbose(e.Message);
                Log.Warning(
                    $"The connection to the cluster was lost ({(e.Reason == RemoteFailure.Unreachable
                    ? "and could not be made again yet" : "see --verbosity verbose")}): reconnecting in "
                        + $"{wait.TotalSeconds:0} s to resume ({attempt} of at most {reconnects} reconnects)."
                );
                await Task.Delay(wait, ct);
            }
            catch (RemoteException e)
                when (e.Reason is RemoteFailure.ConnectionLost or RemoteFailure.Unreachable
                    && (attempt > 1 || e.Command is not null)
                )
            {
                var gaveUp = attempt > 1 ? $" {target} reconnected {attempt - 1} times and gave up." : "";
                var advice =
                    e.Command is not null || e.Reason == RemoteFailure.Unreachable
                        ? $" {target} is safe to run again: it resumes where it stopped, and nothing half-copied or "
                            + "unverified has its real name."
                        : "";
                throw new RemoteException(e.Message + gaveUp + advice, e) { Reason = e.Reason, Command = e.Command };
            }
        }
    }

    /// <summary>The project's folders on the cluster, with the remote home put in for <c>~</c>.</summary>
    private protected async Task<ProjectLayout> LayoutAsync(CancellationToken cancellationToken)
    {
        if (_layout is not null)
            return _layout;
        var remote = await ConnectAsync(cancellationToken);
        return _layout = new ProjectLayout(
            RemotePath.Expand(RemoteRoot.TrimEnd('/'), await remote.HomeAsync(cancellationToken))
        );
    }

    /// <inheritdoc />
    protected internal override async ValueTask OnBuildFinishedAsync()
    {
        if (_remote is not null)
            await _remote.DisposeAsync();
        _remote = null;
    }
}
