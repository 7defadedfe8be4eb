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
    public static async Task<(ListingResult Result, string Output)> RunAsync(
        IRemote remote,
        ListingOptions options,
        IReadOnlyList<string> setup,
        CancellationToken cancellationToken
    )
    {
        var result = await remote.RunAsync(Command(options, setup), CommandTimeouts.HashTree, cancellationToken);
        var listing = ListingParser.Parse(result.Output, result.Error, result.ExitCode);
        Check(listing, options);
        return (listing, result.Output);
    }

    /// <summary>Refuses a listing whose command lines cannot be read back safely (a quote in a path).</summary>
    public static void Check(ListingResult listing, ListingOptions options)
    {
        var broken = listing
            .Tasks.Select(t => (Task: t, Problem: t.PathProblem(options)))
            .Where(t => t.Problem is not null)
            .ToList();
        if (broken.Count == 0)
            return;
        var lines = string.Join(Environment.NewLine + "  ", broken.Take(5).Select(b => $"{b.Task.Video}: {b.Problem}"));
        throw new ListingException(
            ListingFailure.Inconsistent,
            $"""
            {broken.Count} of the listing's command lines cannot be read back safely; nothing was submitted:
              {lines}
            Tierpsy prints paths in single quotes without escaping them, so a folder or video name holding a
            single quote (') followed by a space cannot be told apart from the next word. Rename those videos or
            folders on the cluster (and in the share they come from) without the quote.
            """
        );
    }
}
