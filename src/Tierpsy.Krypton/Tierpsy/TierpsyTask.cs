using Tierpsy.Krypton.Remote;
using Tierpsy.Krypton.Text;

namespace Tierpsy.Krypton.Tierpsy;

/// <summary>One video to process: the command line the listing printed for it, split into its words.</summary>
internal sealed record TierpsyTask(IReadOnlyList<string> Words)
{
    /// <summary>The input video (for Hydra, the imgstore's <c>metadata.yaml</c>).</summary>
    public string Video => Words[2];

    /// <summary>The checkpoints still to run, in order.</summary>
    public IReadOnlyList<string> Checkpoints =>
        Words
            .SkipWhile(w => w != "--analysis_checkpoints")
            .Skip(1)
            .TakeWhile(w => !w.StartsWith("--", StringComparison.Ordinal))
            .ToList();

    /// <summary>
    /// Why this command cannot be trusted, or null: its video must lie below the listing's video root and its mask and
    /// results folders must mirror the video's folder, as Tierpsy makes them. Tierpsy prints paths in single quotes
    /// without escaping, so a path holding a quote followed by a space splits into other words; this catches it.
    /// </summary>
    public string? PathProblem(ListingOptions options)
    {
        var searched = options.VideoRoot ?? options.MaskRoot; // no video root: Tierpsy walks the masked videos
        var root = searched.TrimEnd('/') + "/";
        if (!Video.StartsWith(root, StringComparison.Ordinal))
            return $"its video {Video} is not below {searched}";
        if (Words.Count < 4 || Words[3] != "--masks_dir")
            return $"the video is followed by '{(Words.Count > 3 ? Words[3] : "nothing")}' instead of --masks_dir";
        var below = Video[root.Length..];
        var folder = below.LastIndexOf('/') is var slash and >= 0 ? below[..slash] : "";
        (string Option, string Top)[] mirrors =
        [
            ("--masks_dir", options.MaskRoot),
            ("--results_dir", options.ResultsRoot),
        ];
        foreach (var (option, top) in mirrors)
        {
            var expected = RemotePath.Combine(top.TrimEnd('/'), folder).TrimEnd('/');
            var given = Words.SkipWhile(w => w != option).Skip(1).FirstOrDefault()?.TrimEnd('/');
            if (given != expected)
                return $"its {option} is {given ?? "missing"}, not {expected}";
        }
        return null;
    }

    /// <summary>The command as one safe shell line: every word re-quoted, stdin from <c>/dev/null</c>.</summary>
    public string ToShell() => ShellQuote.Join(Words) + " < /dev/null";
}
