using Tierpsy.Krypton.Targets;
using Tierpsy.Krypton.TestSupport;

namespace Tierpsy.Krypton.Tests.Targets;

public class HelpWriterTests
{
    public enum Scheduler
    {
        PbsPro,
        Torque,
        Slurm,
        Local,
    }

    private class HelpBuild : BuildBase
    {
        [Parameter("Cluster login host, as in ~/.ssh/config")]
        public readonly string? Host;

        [Parameter("Project folder on the cluster")]
        public readonly string RemoteRoot = "~/tierpsy_demo";

        [Parameter("Scheduler on the cluster")]
        public readonly Scheduler Scheduler = Scheduler.PbsPro;

        [Parameter("Walltime of one task")]
        public readonly TimeSpan Walltime = TimeSpan.FromHours(30);

        [Parameter("Imaging days to process")]
        public readonly string[] Days = [];

        [Parameter("Resubmit the videos that failed")]
        public readonly bool Resubmit;

        [Parameter("Raw videos on the group share")]
        public readonly AbsolutePath? Source;

        [Parameter("Passphrase of the SSH key"), Secret]
        public readonly string? Passphrase;

        Target ListFiles => _ => _.Description("Asks Tierpsy which videos still need processing").Executes(() => { });
        public Target Submit =>
            _ => _.Description("Submits one array job over those videos").DependsOn(ListFiles).Executes(() => { });
        Target Monitor => _ => _.Description("Follows the submission until it ends").After(Submit).Executes(() => { });
        Target Internal => _ => _.Unlisted().Executes(() => { });
    }

    [Fact]
    public void Help_lists_targets_with_dependencies_and_parameters_with_values_and_sources()
    {
        using var root = new TempDirectory();
        root.Write(".krypton/parameters.json", """{ "Host": "localhost", "Source": "RawVideos" }""");

        var run = BuildHarness.Run<HelpBuild>(
            ["--help", "--days", "20210504", "20210506"],
            new Dictionary<string, string> { ["KRYPTON_PASSPHRASE"] = "not shown" },
            root.Path,
            defaults: [x => x.Submit]
        );

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("", run.Error);
        Approvals.Verify(run.Output);
    }

    [Fact]
    public void Help_is_shown_when_nothing_is_named_and_there_is_no_default()
    {
        var run = BuildHarness.Run<HelpBuild>();

        Assert.Equal(0, run.ExitCode);
        Assert.StartsWith("Usage: ./build.sh [targets...]", run.Output);
        Assert.DoesNotContain("Internal", run.Output);
    }

    [Fact]
    public void Help_still_shows_when_a_parameter_is_wrong_and_names_the_problem()
    {
        var run = BuildHarness.Run<HelpBuild>("--help", "--walltime", "soon");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("Usage:", run.Output);
        Assert.Contains("warning: Parameter --walltime (command line): expected a duration", run.Error);
    }

    [Fact]
    public void Version_prints_the_librarys_version_and_runs_nothing_even_outside_a_project()
    {
        using var empty = new TempDirectory();

        var run = BuildHarness.Run<HelpBuild>(["--version", "Submit"], root: empty.Path);

        Assert.Equal(0, run.ExitCode);
        var version = typeof(BuildBase).Assembly.GetName().Version!;
        Assert.Equal($"Tierpsy.Krypton {version.Major}.{version.Minor}.{version.Build}", run.Output.Trim());
    }
}
