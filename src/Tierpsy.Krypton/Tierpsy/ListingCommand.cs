using Tierpsy.Krypton.Remote;
using Tierpsy.Krypton.Text;

namespace Tierpsy.Krypton.Tierpsy;

/// <summary>Renders the listing call exactly as the original workflow made it, with every path quoted.</summary>
internal static class ListingCommand
{
    /// <summary>
    /// <c>tierpsy_process --video_dir_root … --only_summary --is_debug --copy_unfinished &lt; /dev/null</c>. stdin is
    /// <c>/dev/null</c> because Tierpsy stops at a <c>pdb</c> prompt on some errors and would wait forever.
    /// </summary>
    public static string Render(ListingOptions options)
    {
        var words = new List<string> { "tierpsy_process" };
        if (options.VideoRoot is { } videos)
            words.AddRange(["--video_dir_root", ShellQuote.Path(videos)]);
        words.AddRange([
            "--mask_dir_root",
            ShellQuote.Path(options.MaskRoot),
            "--results_dir_root",
            ShellQuote.Path(options.ResultsRoot),
        ]);
        if (options.TmpRoot is { } tmp)
            words.AddRange(["--tmp_dir_root", ShellQuote.Path(tmp)]);
        words.AddRange([
            "--json_file",
            ShellQuote.Path(options.JsonFile),
            "--pattern_include",
            ShellQuote.Word(options.Pattern),
        ]);
        if (options.PatternExclude is { Length: > 0 } exclude)
            words.AddRange(["--pattern_exclude", ShellQuote.Word(exclude)]);
        if (options.StartPoint is { } start)
            words.AddRange(["--force_start_point", ShellQuote.Word(start)]);
        words.AddRange(["--only_summary", "--is_debug"]);
        if (options.CopyUnfinished)
            words.Add("--copy_unfinished");
        if (options.CopyVideo)
            words.Add("--is_copy_video");
        if (options.UnmetRequirements)
            words.Add("--unmet_requirements");
        return string.Join(" ", words) + " < /dev/null";
    }
}
