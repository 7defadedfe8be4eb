using Tierpsy.Krypton.Tests.Targets;
using Tierpsy.Krypton.TestSupport;
using Tierpsy.Krypton.Tierpsy;
using Tierpsy.Krypton.Workflow;

namespace Tierpsy.Krypton.Tests.Workflow;

/// <summary>A listing's command lines are read back only when every path in them is where Tierpsy puts it.</summary>
public class ListingRunTests
{
    private const string Root = "/mnt/storage/home/jdoe/tierpsy_sample";

    private static readonly ListingOptions Options = new()
    {
        VideoRoot = $"{Root}/RawVideos",
        MaskRoot = $"{Root}/MaskedVideos",
        ResultsRoot = $"{Root}/Results",
        JsonFile = $"{Root}/AuxiliaryFiles/loopbio_rig_96WP_splitFOV_NN_20220310.json",
    };

    private static readonly string Listing = Fixtures.Read(
        "generated/listing/tierpsy_output__mp4_2_unprocessed_1_invalid.txt"
    );

    [Fact]
    public void A_real_listing_is_read_back()
    {
        var listing = ListingParser.Parse(Listing);

        ListingRun.Check(listing, Options);

        Assert.Equal($"{Root}/RawVideos/20210505/sub/b.mp4", listing.Tasks[1].Video);
    }

    [Theory]
    [InlineData("20210505/sub", "20210505/it' s")] // a folder: quote then space
    [InlineData("20210505/sub", "20210505/x' 'y")] // a folder that reads as two quoted words
    [InlineData("sub/b.mp4", "sub/b' c.mp4")] // the video's name
    public void A_path_with_a_quote_followed_by_a_space_is_never_split_silently(string from, string to)
    {
        var text = Listing.Replace(from, to, StringComparison.Ordinal);

        var error = Assert.Throws<ListingException>(() => ListingRun.Check(ListingParser.Parse(text), Options));

        Assert.Equal(ListingFailure.Inconsistent, error.Reason);
        Assert.Contains("nothing was submitted", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    private sealed class LocalBuild : TierpsyBuild;

    [Theory]
    [InlineData("Stage", "--source", "share")]
    [InlineData("ListFiles")]
    public void A_remote_root_with_a_single_quote_is_refused_before_anything_is_copied_or_listed(params string[] args)
    {
        using var cluster = new TempDirectory("krypton cluster");
        using var project = new TempDirectory("krypton-project");
        project.Write(
            ".krypton/parameters.json",
            $$"""
            { "Scheduler": "local", "RemoteRoot": "{{cluster.Path}}/tierpsy_lab's", "ParamsFile": "AuxiliaryFiles/p.json" }
            """
        );
        project.Write("AuxiliaryFiles/p.json", "{}");
        project.Write("share/20210504/cam/metadata.yaml", "__store: imgstore\n");

        var run = BuildHarness.Run<LocalBuild>(args, root: project.Path);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"The remote root {cluster.Path}/tierpsy_lab's holds a single quote (').", run.Error);
        Assert.Empty(Directory.GetFileSystemEntries(cluster.Path));
    }
}
