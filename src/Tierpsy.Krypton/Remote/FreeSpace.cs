using System.Globalization;
using Tierpsy.Krypton.Text;

namespace Tierpsy.Krypton.Remote;

/// <summary>The free space of a cluster folder's file system: one <c>df -Pk</c> line, and its parser.</summary>
internal static class FreeSpace
{
    /// <summary>Prints the POSIX <c>df</c> line of the file system that holds <paramref name="folder"/>.</summary>
    public static string Command(string folder) => $"df -Pk -- {ShellQuote.Path(folder)} | tail -n 1";

    /// <summary>The free bytes in that line (its fourth field, in KiB); null when it is not such a line.</summary>
    public static long? Parse(CommandResult result)
    {
        var fields = result.Output.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        return
            result.ExitCode == 0
            && fields.Length >= 4
            && long.TryParse(fields[3], NumberStyles.None, CultureInfo.InvariantCulture, out var kib)
            ? kib * 1024
            : null;
    }

    /// <summary>
    /// Says why the cluster refused a write as far as it can tell (a full disk and a folder that cannot be written
    /// look alike from here), with the free space of <paramref name="folder"/> and what to do.
    /// </summary>
    /// <param name="remote">The cluster, asked for the free space.</param>
    /// <param name="what">What could not be written.</param>
    /// <param name="reason">What the failing program said.</param>
    /// <param name="folder">The folder whose free space is shown.</param>
    /// <param name="ct">Stops the question.</param>
    public static async Task<string> WriteFailureAsync(
        IRemote remote,
        string what,
        string reason,
        string folder,
        CancellationToken ct
    )
    {
        var space = "unknown";
        try
        {
            if (Parse(await remote.RunAsync(Command(folder), TimeSpan.FromSeconds(30), ct)) is { } free)
                space = SizeText.Format(free);
        }
        catch (RemoteException)
        {
            // The reason stays unknown; the message still says what to check.
        }
        return $"The cluster could not write {what} ({reason}); free space in {folder}: {space}. "
            + "The disk may be full or the folder not writable: free space there (or fix its permissions), then run "
            + "the same command again: it resumes where it stopped.";
    }
}
