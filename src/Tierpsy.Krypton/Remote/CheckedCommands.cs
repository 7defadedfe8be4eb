namespace Tierpsy.Krypton.Remote;

/// <summary>
/// A command that must succeed, as CliWrap validates by default: a non-zero exit code becomes a
/// <see cref="RemoteException"/> with the command, the exit code and the reason as data, and a message that says what
/// failed where.
/// </summary>
internal static class CheckedCommands
{
    /// <summary>Runs <paramref name="command"/>; throws when it ends with a non-zero exit code.</summary>
    /// <param name="remote">Where it runs.</param>
    /// <param name="command">The shell command.</param>
    /// <param name="timeout">How long it may take.</param>
    /// <param name="doing">What it does, for the message ("Listing the files below ~/x").</param>
    /// <param name="ct">Stops the wait.</param>
    public static async Task<CommandResult> RunCheckedAsync(
        this IRemote remote,
        string command,
        TimeSpan timeout,
        string doing,
        CancellationToken ct
    )
    {
        var result = await remote.RunAsync(command, timeout, ct);
        return result.ExitCode == 0
            ? result
            : throw new RemoteException(
                $"{doing} on {remote.Description} failed (exit code {result.ExitCode}): {result.Error.Trim()}"
            )
            {
                Reason = RemoteFailure.CommandFailed,
                Command = command,
                ExitCode = result.ExitCode,
            };
    }
}
