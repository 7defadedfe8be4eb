namespace Tierpsy.Krypton.Remote;

/// <summary>What went wrong with the cluster.</summary>
internal enum RemoteFailure
{
    /// <summary>Anything else: the message says what to check.</summary>
    Other,

    /// <summary>The connection dropped while a command or a copy ran: whether a command ran is unknown.</summary>
    ConnectionLost,

    /// <summary>A command ran longer than it was given.</summary>
    Timeout,

    /// <summary>No connection could be made (host down, link down, wrong host or port): nothing was done.</summary>
    Unreachable,

    /// <summary>The command ran and ended with a non-zero exit code (<see cref="RemoteException.ExitCode"/>).</summary>
    CommandFailed,

    /// <summary>The cluster refused a file operation (no permission, a full disk): the message says which.</summary>
    Refused,
}

/// <summary>
/// The cluster could not be reached or did not answer; the message says what happened, the reason and the command
/// say it as data. Never contains a secret. What to do next depends on the caller (a copy resumes; a submission may
/// have happened), so a lost connection's message leaves the advice to it.
/// </summary>
internal sealed class RemoteException(string message, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>What went wrong.</summary>
    public RemoteFailure Reason { get; init; }

    /// <summary>The command that was running, when one was.</summary>
    public string? Command { get; init; }

    /// <summary>The command's exit code, when it ended with one (<see cref="RemoteFailure.CommandFailed"/>).</summary>
    public int? ExitCode { get; init; }
}
