using Renci.SshNet;

namespace Tierpsy.Krypton.Remote;

/// <summary>
/// The SFTP sessions that copies run on: at most <see cref="ParallelTransfers"/> copies at once, each on the session
/// with the fewest copies, up to a given number of copies per session. The first session is the control session
/// (already open, so the first copy waits for no handshake, and the login node runs one sshd fewer); further ones are
/// opened as needed, all at once (a distant cluster's handshakes overlap instead of adding up), and kept for the run.
/// A session whose connection was lost, or that could not be opened, is dropped and replaced.
/// </summary>
/// <param name="control">The control session (opened again by its owner after a lost connection).</param>
/// <param name="open">Opens a new session for copies.</param>
internal sealed class SftpTransferSessions(
    Func<CancellationToken, Task<SftpClient>> control,
    Func<CancellationToken, Task<SftpClient>> open
) : IDisposable
{
    private readonly List<Session> _sessions = [];
    private SemaphoreSlim? _slots;

    /// <summary>How many copies run at once; read when the first copy starts.</summary>
    public int ParallelTransfers { get; set; } = 4;

    /// <summary>
    /// Runs <paramref name="transfer"/> once a slot is free, on a session shared by at most <paramref
    /// name="perSession"/> copies (while there are fewer sessions than the slots need). A lost connection drops the
    /// session and is rethrown, as is the error of a session that could not be opened.
    /// </summary>
    public async Task RunAsync(Func<SftpClient, Task> transfer, int perSession, CancellationToken cancellationToken)
    {
        _slots ??= new SemaphoreSlim(Math.Max(1, ParallelTransfers));
        await _slots.WaitAsync(cancellationToken);
        var session = Choose(perSession, cancellationToken);
        try
        {
            await transfer(await session.Client);
        }
        catch (Exception e) when (!session.Client.IsCompletedSuccessfully || SshRemote.IsConnectionLoss(e))
        {
            Drop(session);
            throw;
        }
        finally
        {
            lock (_sessions)
                session.Users--;
            _slots.Release();
        }
    }

    /// <summary>
    /// Starts opening sessions (all at once) until there are <paramref name="count"/>, the control session first, so
    /// that copies starting later find them open.
    /// </summary>
    public void Open(int count, CancellationToken cancellationToken)
    {
        lock (_sessions)
            while (_sessions.Count(s => !s.IsDead) < count)
                _sessions.Add(NewSession(cancellationToken));
    }

    /// <summary>
    /// The live session with the fewest transfers, or a new one (opening in the background) while there are fewer than
    /// needed.
    /// </summary>
    private Session Choose(int perSession, CancellationToken cancellationToken)
    {
        var wanted = (Math.Max(1, ParallelTransfers) + perSession - 1) / perSession;
        lock (_sessions)
        {
            foreach (var dead in _sessions.Where(s => s.IsDead).ToList())
                Drop(dead);
            var least = _sessions.MinBy(s => s.Users);
            if (least is not null && (least.Users < perSession || _sessions.Count >= wanted))
            {
                least.Users++;
                return least;
            }
            var session = NewSession(cancellationToken);
            session.Users = 1;
            _sessions.Add(session);
            return session;
        }
    }

    /// <summary>The control session if there is none yet, else a new session, opening in the background.</summary>
    private Session NewSession(CancellationToken cancellationToken)
    {
        var isControl = !_sessions.Any(s => s.IsControl);
        return new Session(
            Task.Run(() => isControl ? control(cancellationToken) : open(cancellationToken), cancellationToken),
            isControl
        );
    }

    private void Drop(Session session)
    {
        lock (_sessions)
            if (!_sessions.Remove(session))
                return;
        // The control session is closed (and opened again when needed) by its owner; one still opening is closed once
        // open.
        if (!session.IsControl)
            _ = session.Client.ContinueWith(
                t => t.Result.Dispose(),
                CancellationToken.None,
                TaskContinuationOptions.OnlyOnRanToCompletion,
                TaskScheduler.Default
            );
    }

    /// <summary>Closes the sessions this opened (not the control session).</summary>
    public void Dispose()
    {
        lock (_sessions)
            foreach (var session in _sessions.ToList())
                Drop(session);
    }

    /// <summary>An SFTP session for copies (possibly the control session) and how many transfers use it now.</summary>
    private sealed class Session(Task<SftpClient> client, bool isControl)
    {
        public Task<SftpClient> Client { get; } = client;
        public bool IsControl { get; } = isControl;
        public int Users { get; set; }

        /// <summary>
        /// Could not be opened, or its connection is gone (the control session after a lost connection is closed by its
        /// owner).
        /// </summary>
        public bool IsDead => Client.IsCompleted && (!Client.IsCompletedSuccessfully || !IsOpen(Client.Result));

        private static bool IsOpen(SftpClient client)
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
    }
}
