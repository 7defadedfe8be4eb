using Tierpsy.Krypton.Targets;
using Tierpsy.Krypton.TestSupport;
using Tierpsy.Krypton.Workflow;

namespace Tierpsy.Krypton.Tests.Workflow;

/// <summary>
/// The staged source folders the project remembers, and Retrieve's test of a destination against them.
/// </summary>
public class StagedSourcesTests
{
    [Theory]
    [InlineData("/share/20210504", "/share/20210504")]
    [InlineData("/share/20210504/Results", "/share/20210504")]
    [InlineData("/share/20210504/", "/share/20210504")]
    [InlineData("/share/20210504/cam.22956818/../analysis", "/share/20210504")]
    [InlineData("/share/behavgenom$/20210504 day/x", "/share/behavgenom$/20210504 day")]
    [InlineData("/share/2021050", null)]
    [InlineData("/share/20210504x", null)]
    [InlineData("/share", null)]
    [InlineData("/elsewhere/20210504", null)]
    public void A_destination_is_refused_only_at_or_below_a_staged_folder(string destination, string? expected) =>
        Assert.Equal(
            expected,
            TierpsyBuild
                .FolderContaining(
                    destination,
                    ["/other/20210501", "/share/20210504", "/share/behavgenom$/20210504 day/"]
                )
                ?.TrimEnd('/')
        );

    [Fact]
    public void Staged_sources_accumulate_over_runs_each_once_as_full_paths()
    {
        using var project = new TempDirectory("krypton-state");
        var state = new ProjectState(AbsolutePath.Create(project.Path));

        Assert.Empty(state.StagedSources());
        state.AddStagedSources(["/share/20210504/", "/share/20210505"]);
        state.AddStagedSources(["/share/20210504", "/share/x/../20210506"]);

        Assert.Equal(["/share/20210504", "/share/20210505", "/share/20210506"], state.StagedSources());
    }
}
