using Tierpsy.Krypton.Remote;
using Tierpsy.Krypton.Tierpsy;

namespace Tierpsy.Krypton.Workflow;

/// <summary>Runs the listing on the cluster through the Tierpsy setup lines and parses it.</summary>
internal static class ListingRun
{
    /// <summary>
    /// The shell script: the setup lines, then the listing. It runs as every command does, in the login shell's
    /// environment (<see cref="IRemote"/>), so <c>module</c> and the site's PATH are there.
    /// </summary>
    public static string Command(ListingOptions options, IReadOnlyList<string> setup) =>
        string.Join("\n", setup.Append(ListingCommand.Render(options)));

    /// <summary>Runs the listing; throws <see cref="ListingException"/> when it crashed or cannot be trusted.</summary>
    public static async Task<(ListingResult Result, string Output)> RunAsync(IRemote remote, ListingOptions options, IReadOnlyList<string> setup, CancellationToken cancellationToken)
    {
        var result = await remote.RunAsync(Command(options, setup), TimeSpan.FromHours(2), cancellationToken);
        return (ListingParser.Parse(result.Output, result.Error, result.ExitCode), result.Output);
    }
}
