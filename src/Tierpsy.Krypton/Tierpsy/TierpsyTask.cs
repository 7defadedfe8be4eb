using Tierpsy.Krypton.Remote;

namespace Tierpsy.Krypton.Tierpsy;

/// <summary>One video to process: the command line the listing printed for it, split into its words.</summary>
public sealed record TierpsyTask(IReadOnlyList<string> Words)
{
    /// <summary>The input video (for Hydra, the imgstore's <c>metadata.yaml</c>).</summary>
    public string Video => Words[2];

    /// <summary>The checkpoints still to run, in order.</summary>
    public IReadOnlyList<string> Checkpoints =>
        Words.SkipWhile(w => w != "--analysis_checkpoints").Skip(1).TakeWhile(w => !w.StartsWith("--", StringComparison.Ordinal)).ToList();

    /// <summary>The command as one safe shell line: every word re-quoted, stdin from <c>/dev/null</c>.</summary>
    public string ToShell() => ShellQuote.Join(Words) + " < /dev/null";
}
