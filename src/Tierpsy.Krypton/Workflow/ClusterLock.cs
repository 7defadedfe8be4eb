using System.Globalization;
using Tierpsy.Krypton.Remote;
using Tierpsy.Krypton.Text;

namespace Tierpsy.Krypton.Workflow;

/// <summary>
/// One Stage, Retrieve or Clean of a project at a time on the cluster, whichever computer runs it: two copies of a
/// project staging into one cluster folder write the same partial copies, and one renames a partial the other still
/// writes. The lock is a folder, <c>workspace/transfer.lock/</c> (<c>mkdir</c> is atomic), with an <c>owner</c> file
/// that names the run (target, computer, user, process, start) and that the holder touches every
/// <see cref="Heartbeat"/>. A lock without a sign of life for <see cref="StaleAfter"/> (its run died, or lost its
/// connection and gave up) is taken over with a warning.
/// </summary>
internal sealed class ClusterLock : IAsyncDisposable
{
    /// <summary>How often the holder shows it is alive.</summary>
    public static readonly TimeSpan Heartbeat = TimeSpan.FromMinutes(1);

    /// <summary>How long a lock may go without a sign of life before another run takes it over.</summary>
    public static readonly TimeSpan StaleAfter = TimeSpan.FromMinutes(5);

    private const string Acquired = "krypton-lock-acquired";
    private const string Held = "krypton-lock-held";
    private const string AgeLine = "krypton-lock-age=";
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(1);

    private readonly IRemote _remote;
    private readonly string _folder;
    private readonly string _token;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _beating;

    private ClusterLock(IRemote remote, string folder, string token)
    {
        (_remote, _folder, _token) = (remote, folder, token);
        _beating = BeatAsync();
    }

    /// <summary>Takes the project's cluster lock for <paramref name="target"/>, or says which run holds it.</summary>
    /// <param name="remote">The cluster.</param>
    /// <param name="workspace">The project's workspace folder on the cluster (absolute).</param>
    /// <param name="target">The target that takes it, for the message another run prints.</param>
    /// <param name="warn">Told when a stale lock is taken over.</param>
    /// <param name="ct">Stops the wait for the cluster.</param>
    /// <exception cref="ClusterLockHeldException">
    /// Another run holds the lock and showed a sign of life lately.</exception>
    public static async Task<ClusterLock> AcquireAsync(
        IRemote remote,
        string workspace,
        string target,
        Action<string> warn,
        CancellationToken ct
    )
    {
        var folder = RemotePath.Combine(workspace, "transfer.lock");
        var token = Guid.NewGuid().ToString("N");
        var owner = Owner(token, target);
        if (await TakeFreeAsync(remote, folder, owner, target, ct))
            return new ClusterLock(remote, folder, token);
        var answer = await remote.RunAsync(AcquireCommand(workspace, folder, owner), CommandTimeout, ct);
        if (answer.Output.Contains(Acquired, StringComparison.Ordinal))
            return new ClusterLock(remote, folder, token);
        if (!answer.Output.Contains(Held, StringComparison.Ordinal))
            throw new IOException(CouldNotWrite(folder, answer.All.Trim(), target));

        var (holder, age) = ParseHeld(answer.Output);
        if (age is null || age < StaleAfter)
            throw new ClusterLockHeldException(holder, age);
        warn(
            $"Took over the project's lock on the cluster from {holder}: it showed no sign of life for "
                + $"{Minutes(age.Value)} (its run died or lost its connection)."
        );
        var retaken = await remote.RunAsync(TakeOverCommand(workspace, folder, owner), CommandTimeout, ct);
        return retaken.Output.Contains(Acquired, StringComparison.Ordinal)
            ? new ClusterLock(remote, folder, token)
            : throw new ClusterLockHeldException(ParseHeld(retaken.Output).Holder, TimeSpan.Zero);
    }

    /// <summary>
    /// Takes a free lock without a shell where the cluster has a way (SFTP): before the copies can begin, a free lock
    /// then costs a few round trips instead of the start of a login shell. False when the lock exists (held, perhaps
    /// stale), when the cluster refused to create it, or when there is no such way: the lock's command then decides and
    /// says why.
    /// </summary>
    private static async Task<bool> TakeFreeAsync(
        IRemote remote,
        string folder,
        string owner,
        string target,
        CancellationToken ct
    )
    {
        try
        {
            if (await remote.TryCreateFolderAsync(folder, ct) != true)
                return false;
        }
        catch (RemoteException e) when (e.Reason == RemoteFailure.Refused)
        {
            return false;
        }
        try
        {
            await remote.WriteTextAsync(RemotePath.Combine(folder, "owner"), owner, ct);
            return true;
        }
        catch (RemoteException e) when (e.Reason == RemoteFailure.Refused)
        {
            await remote.RunAsync($"rm -rf {ShellQuote.Path(folder)}", CommandTimeout, ct);
            throw new IOException(CouldNotWrite(folder, e.Message, target), e);
        }
    }

    private static string CouldNotWrite(string folder, string detail, string target) =>
        $"""
            The cluster could not write the project's lock folder {folder} ({detail}).
            The disk may be full or the folder not writable: free space there (or fix its permissions), then run
            {target} again. Nothing was copied or deleted.
            """;

    /// <summary>Stops the heartbeat and removes the lock, if it is still this run's.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _beating;
        try
        {
            await _remote.RunAsync(
                $"L={ShellQuote.Path(_folder)}; grep -qx 'token={_token}' \"$L/owner\" 2>/dev/null"
                    + " && rm -rf \"$L\"; true",
                CommandTimeout,
                CancellationToken.None
            );
        }
        catch (RemoteException)
        {
            // The connection is gone: the lock stays until it goes stale, and the next run takes it over then.
        }
        _stop.Dispose();
    }

    private async Task BeatAsync()
    {
        try
        {
            while (true)
            {
                await Task.Delay(Heartbeat, _stop.Token);
                try
                {
                    await _remote.RunAsync(
                        $"L={ShellQuote.Path(_folder)}; grep -qx 'token={_token}' \"$L/owner\" "
                            + "&& touch \"$L/owner\"; true",
                        CommandTimeout,
                        _stop.Token
                    );
                }
                catch (RemoteException)
                {
                    // A missed beat is fine; the run itself reports a lost connection.
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Released.
        }
    }

    /// <summary>The owner file: one <c>key=value</c> per line.</summary>
    internal static string Owner(string token, string target) =>
        string.Join(
            "\n",
            $"token={token}",
            $"target={target}",
            $"computer={Environment.MachineName}",
            $"user={Environment.UserName}",
            $"process={Environment.ProcessId}",
            $"since={DateTimeOffset.Now.ToString("yyyy-MM-dd HH:mm:ss zzz", CultureInfo.InvariantCulture)}"
        ) + "\n";

    private static string AcquireCommand(string workspace, string folder, string owner) =>
        $"L={ShellQuote.Path(folder)}; mkdir -p {ShellQuote.Path(workspace)} && "
        + $"if mkdir \"$L\" 2>/dev/null; then printf '%s' {ShellQuote.Word(owner)} > \"$L/owner\" && echo {Acquired} "
        + "|| rm -rf \"$L\"; "
        + $"elif [ -d \"$L\" ]; then echo {Held}; cat \"$L/owner\" 2>/dev/null; echo; "
        + $"echo \"{AgeLine}$(( $(date +%s) - $(date -r \"$L/owner\" +%s 2>/dev/null || date -r \"$L\" +%s) ))\"; "
        + "else mkdir \"$L\"; fi";

    /// <summary>
    /// Moves the stale lock aside (one of two runs taking it over at once wins the move) and takes it.
    /// </summary>
    private static string TakeOverCommand(string workspace, string folder, string owner) =>
        $"L={ShellQuote.Path(folder)}; S=\"$L.stale.$$\"; mv \"$L\" \"$S\" 2>/dev/null && rm -rf \"$S\"; "
        + AcquireCommand(workspace, folder, owner);

    /// <summary>
    /// Who holds the lock ("Stage from lab-pc (jdoe, process 4242) since …") and how long it has been silent.
    /// </summary>
    internal static (string Holder, TimeSpan? Age) ParseHeld(string output)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in output.Split('\n').Select(l => l.Split('=', 2)).Where(p => p.Length == 2))
            fields[pair[0].Trim()] = pair[1].Trim();
        var age =
            fields.TryGetValue(AgeLine[..^1], out var seconds)
            && long.TryParse(seconds, NumberStyles.Integer, CultureInfo.InvariantCulture, out var s)
                ? TimeSpan.FromSeconds(Math.Max(0, s))
                : (TimeSpan?)null;
        string Field(string key) => fields.GetValueOrDefault(key) ?? "?";
        var holder = fields.ContainsKey("target")
            ? $"{Field("target")} from {Field("computer")} ({Field("user")}, process {Field("process")}) "
                + $"since {Field("since")}"
            : "a run that has not said what it is yet";
        return (holder, age);
    }

    internal static string Minutes(TimeSpan age) =>
        age < TimeSpan.FromMinutes(1) ? $"{age.TotalSeconds:0} s" : $"{age.TotalMinutes:0} min";
}

/// <summary>Another run of the project (on this computer or another one) holds the cluster's lock.</summary>
internal sealed class ClusterLockHeldException : InvalidOperationException
{
    internal ClusterLockHeldException(string holder, TimeSpan? silentFor)
        : base(
            $"Another Stage, Retrieve or Clean of this project holds its lock on the cluster: {holder}"
                + (silentFor is { } age ? $", last sign of life {ClusterLock.Minutes(age)} ago" : "")
                + ". "
                + "Two runs at once would write the same partial copies. Wait for it to end (or stop it); a lock "
                + $"without a sign of life for {ClusterLock.StaleAfter.TotalMinutes:0} minutes is taken over. "
                + "Nothing was done."
        )
    {
        Holder = holder;
        SilentFor = silentFor;
    }

    /// <summary>The run that holds the lock, as its owner file names it.</summary>
    public string Holder { get; }

    /// <summary>How long the holder has shown no sign of life; null when the cluster could not say.</summary>
    public TimeSpan? SilentFor { get; }
}
