using Renci.SshNet;

namespace Tierpsy.Krypton.Remote;

/// <summary>
/// The SFTP sessions that copies run on: at most <see cref="ParallelTransfers"/> copies at once, each on the session
/// with the fewest copies, up to a given number of copies per session. The first session is the control session
/// (already open, so the first copy waits for no handshake, and the login node runs one sshd fewer); further ones are
/// opened as needed and kept for the run. A session whose connection was lost is dropped and replaced.
/// </summary>
/// <param name="control">The control session (opened again by its owner after a lost connection).</param>
/// <param name="open">Opens a new session for copies.</param>
internal sealed class SftpTransferSessions(Func<CancellationToken, Task<SftpClient>> control, Func<CancellationToken, Task<SftpClient>> open) : IDisposable
{
    private readonly List<Session> _sessions = [];
    private readonly SemaphoreSlim _choice = new(1, 1);
    private SemaphoreSlim? _slots;

    /// <summary>How many copies run at once; read when the first copy starts.</summary>
    public int ParallelTransfers { get; set; } = 4;

    /// <summary>
    /// Runs <paramref name="transfer"/> once a slot is free, on a session shared by at most <paramref name="perSession"/>
    /// copies (while there are fewer sessions than the slots need). A lost connection drops the session and is rethrown.
    /// </summary>
    public async Task RunAsync(Func<SftpClient, Task> transfer, int perSession, CancellationToken cancellationToken)
    {
        _slots ??= new SemaphoreSlim(Math.Max(1, ParallelTransfers));
        await _slots.WaitAsync(cancellationToken);
        Session? session = null;
        try
        {
            session = await ChooseAsync(perSession, cancellationToken);
            await transfer(session.Client);
        }
        catch (Exception e) when (SshRemote.IsConnectionLoss(e))
        {
            if (session is not null) Drop(session);
            throw;
        }
        finally
        {
            if (session is not null) lock (_sessions) session.Users--;
            _slots.Release();
        }
    }

    /// <summary>The connected session with the fewest transfers, or a new one while there are fewer than needed.</summary>
    private async Task<Session> ChooseAsync(int perSession, CancellationToken cancellationToken)
    {
        var wanted = (Math.Max(1, ParallelTransfers) + perSession - 1) / perSession;
        await _choice.WaitAsync(cancellationToken);
        try
        {
            lock (_sessions)
            {
                foreach (var dead in _sessions.Where(t => !IsOpen(t.Client)).ToList()) Drop(dead);
                var least = _sessions.MinBy(t => t.Users);
                if (least is not null && (least.Users < perSession || _sessions.Count >= wanted))
                {
                    least.Users++;
                    return least;
                }
            }
            var controlSession = await control(cancellationToken);
            bool shared;
            lock (_sessions) shared = _sessions.All(t => t.Client != controlSession);
            var session = new Session(shared ? controlSession : await open(cancellationToken), shared) { Users = 1 };
            lock (_sessions) _sessions.Add(session);
            return session;
        }
        finally
        {
            _choice.Release();
        }
    }

    private void Drop(Session session)
    {
        lock (_sessions) _sessions.Remove(session);
        // The control session is closed (and opened again when needed) by its owner.
        if (!session.IsControl) session.Client.Dispose();
    }

    /// <summary>Whether a session is connected; a session closed meanwhile (the control session after a lost connection) is not.</summary>
    private static bool IsOpen(SftpClient client)
    {
        try { return client.IsConnected; }
        catch (ObjectDisposedException) { return false; }
    }

    /// <summary>Closes the sessions this opened (not the control session).</summary>
    public void Dispose()
    {
        lock (_sessions) foreach (var session in _sessions.ToList()) Drop(session);
    }

    /// <summary>An SFTP session for copies (possibly the control session) and how many transfers use it now.</summary>
    private sealed class Session(SftpClient client, bool isControl)
    {
        public SftpClient Client { get; } = client;
        public bool IsControl { get; } = isControl;
        public int Users { get; set; }
    }
}
