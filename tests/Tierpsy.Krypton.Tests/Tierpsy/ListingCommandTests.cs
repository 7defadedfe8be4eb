using Tierpsy.Krypton.Tierpsy;

namespace Tierpsy.Krypton.Tests.Tierpsy;

public class ListingCommandTests
{
    [Fact]
    public void Renders_the_original_listing_call_with_quoted_paths_and_no_stdin()
    {
        var command = ListingCommand.Render(
            new ListingOptions
            {
                VideoRoot = "~/tierpsy_my project/RawVideos",
                MaskRoot = "~/tierpsy_my project/MaskedVideos",
                ResultsRoot = "~/tierpsy_my project/Results",
                TmpRoot = "~/tierpsy_my project/Tmp",
                JsonFile = "/data/behavgenom$/params.json",
            }
        );

        Assert.Equal(
            "tierpsy_process --video_dir_root \"$HOME\"/'tierpsy_my project/RawVideos' --mask_dir_root "
                + "\"$HOME\"/'tierpsy_my project/MaskedVideos' "
                + "--results_dir_root \"$HOME\"/'tierpsy_my project/Results' --tmp_dir_root \"$HOME\"/'tierpsy_my "
                + "project/Tmp' "
                + "--json_file '/data/behavgenom$/params.json' --pattern_include '*.yaml' --only_summary --is_debug "
                + "--copy_unfinished < /dev/null",
            command
        );
    }
}
