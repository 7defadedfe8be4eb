using System.Text.Json;
using Tierpsy.Krypton.TestSupport;

namespace Tierpsy.Krypton.Templates.Tests;

/// <summary>
/// One project made with every option of <c>dotnet new tierpsy-krypton</c> (values with spaces, quotes and <c>$</c>),
/// made once and its <c>--help</c> run once for all the tests of this class.
/// </summary>
[Collection(nameof(TemplatePack))]
public class FullOptionsProjectTests(TemplatePack pack)
{
    private static readonly string[] WorkflowTargets =
    [
        "Setup",
        "Doctor",
        "Stage",
        "ListFiles",
        "Submit",
        "Monitor",
        "Cancel",
        "Verify",
        "Summarize",
        "Retrieve",
        "Clean",
        "Report",
    ];

    private static readonly string[] Options =
    [
        "--scheduler",
        "slurm",
        "--host",
        "localhost",
        "--user",
        "jdoe",
        "--port",
        "2222",
        "--queue",
        "short",
        "--walltime",
        "48:00:00",
        "--cpus",
        "4",
        "--memory",
        "16gb",
        "--pattern",
        "*.mp4",
        "--tierpsy-setup",
        "module load tierpsy/1.5.3; conda activate \"tierpsy env\"",
        "--remote-root",
        "/mnt/storage/home/jdoe/behavgenom$/my project",
        "--params",
        "loopbio_rig_96WP_splitFOV_NN_20200526",
        "--mail",
        "j.doe@lab.example.org",
        "--mail-on",
        "fail",
        "--account",
        "wormlab",
        "--job-name",
        "plates_2026",
        "--directive",
        "#SBATCH --qos=long; #SBATCH --constraint=\"avx2&ib\"",
    ];

    private sealed record Project(string Folder, ProcessResult Help);

    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static Project? _project;

    /// <summary>The project and its <c>--help</c>, made by the first test that asks.</summary>
    private async Task<Project> ProjectAsync()
    {
        await Gate.WaitAsync(TestContext.Current.CancellationToken);
        try
        {
            if (_project is not null)
                return _project;
            var (folder, result) = await pack.NewProjectAsync("my project", Options);
            Assert.True(result.ExitCode == 0, result.ToString());
            var help = await RunBuildAsync(folder, ["--help"], TimeSpan.FromMinutes(5));
            Assert.True(help.ExitCode == 0, help.ToString());
            return _project = new Project(folder, help);
        }
        finally
        {
            Gate.Release();
        }
    }

    private Task<ProcessResult> RunBuildAsync(string folder, string[] arguments, TimeSpan timeout) =>
        ProcessRunner.RunAsync(
            Path.Combine(folder, "build.sh"),
            arguments,
            folder,
            pack.ProjectEnvironment,
            timeout,
            TestContext.Current.CancellationToken
        );

    [Fact]
    public async Task Every_option_of_dotnet_new_is_written_to_the_parameters_file()
    {
        var project = await ProjectAsync();

        using var parameters = JsonDocument.Parse(
            File.ReadAllText(Path.Combine(project.Folder, ".krypton", "parameters.json"))
        );
        var p = parameters.RootElement;
        Assert.Equal(2222, p.GetProperty("Port").GetInt32());
        Assert.Equal(4, p.GetProperty("Cpus").GetInt32());
        Assert.Equal("/mnt/storage/home/jdoe/behavgenom$/my project", p.GetProperty("RemoteRoot").GetString());
        Assert.Equal(
            ["module load tierpsy/1.5.3", "conda activate \"tierpsy env\""],
            p.GetProperty("TierpsySetup").EnumerateArray().Select(e => e.GetString())
        );
        Assert.Equal(
            "AuxiliaryFiles/loopbio_rig_96WP_splitFOV_NN_20200526.json",
            p.GetProperty("ParamsFile").GetString()
        );
    }

    [Fact]
    public async Task The_site_options_of_dotnet_new_are_written_to_the_parameters_file()
    {
        var project = await ProjectAsync();

        using var parameters = JsonDocument.Parse(
            File.ReadAllText(Path.Combine(project.Folder, ".krypton", "parameters.json"))
        );
        var p = parameters.RootElement;
        Assert.Equal("j.doe@lab.example.org", p.GetProperty("Mail").GetString());
        Assert.Equal("fail", p.GetProperty("MailOn").GetString());
        Assert.Equal("wormlab", p.GetProperty("Account").GetString());
        Assert.Equal("plates_2026", p.GetProperty("JobName").GetString());
        Assert.Equal(
            ["#SBATCH --qos=long", "#SBATCH --constraint=\"avx2&ib\""],
            p.GetProperty("Directive").EnumerateArray().Select(e => e.GetString())
        );
    }

    [Fact]
    public async Task The_chosen_parameter_file_is_the_only_one_copied_into_the_project()
    {
        var project = await ProjectAsync();

        Assert.Equal(
            ["loopbio_rig_96WP_splitFOV_NN_20200526.json"],
            Directory.GetFiles(Path.Combine(project.Folder, "AuxiliaryFiles")).Select(Path.GetFileName)
        );
    }

    [Fact]
    public async Task The_packages_runtime_settings_reach_the_build_that_runs()
    {
        var project = await ProjectAsync();

        var file = Directory
            .GetFiles(
                Path.Combine(project.Folder, "build", "bin"),
                "_build.runtimeconfig.json",
                SearchOption.AllDirectories
            )
            .Single();
        using var runtime = JsonDocument.Parse(File.ReadAllText(file));
        var options = runtime.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties");
        Assert.Equal("False", options.GetProperty("System.Runtime.TieredPGO").ToString());
        Assert.Equal("0", options.GetProperty("System.Threading.ThreadPool.UnfairSemaphoreSpinLimit").ToString());
        Assert.Equal("1000", options.GetProperty("System.Runtime.TieredCompilation.CallCountThreshold").ToString());
    }

    [Fact]
    public async Task Help_lists_the_workflow_targets_in_order_with_their_dependencies()
    {
        var project = await ProjectAsync();

        var targetLines = project
            .Help.Output.Split('\n')
            .SkipWhile(l => !l.StartsWith("Targets", StringComparison.Ordinal))
            .Skip(1)
            .TakeWhile(l => l.Length > 0)
            .ToList();
        Assert.Equal(WorkflowTargets, targetLines.Select(l => l.Trim().Split(' ')[0]));
        Assert.Contains(targetLines, l =>
            l.StartsWith("  Submit ", StringComparison.Ordinal)
            && l.EndsWith("(depends on ListFiles)", StringComparison.Ordinal)
        );
    }

    [Theory]
    [InlineData("= localhost [.krypton/parameters.json]")]
    [InlineData("= 2222 [.krypton/parameters.json]")]
    [InlineData("= slurm [.krypton/parameters.json]")]
    [InlineData("= short [.krypton/parameters.json]")]
    [InlineData("= 48:00:00 [.krypton/parameters.json]")]
    [InlineData("= 16gb [.krypton/parameters.json]")]
    [InlineData("= 'module load tierpsy/1.5.3' 'conda activate \"tierpsy env\"' [.krypton/parameters.json]")]
    [InlineData("= /mnt/storage/home/jdoe/behavgenom$/my project [.krypton/parameters.json]")]
    [InlineData("= AuxiliaryFiles/loopbio_rig_96WP_splitFOV_NN_20200526.json [.krypton/parameters.json]")]
    [InlineData("= j.doe@lab.example.org [.krypton/parameters.json]")]
    [InlineData("= fail [.krypton/parameters.json]")]
    [InlineData("= wormlab [.krypton/parameters.json]")]
    [InlineData("= plates_2026 [.krypton/parameters.json]")]
    public async Task Help_shows_each_options_value_and_that_it_came_from_the_parameters_file(string expected)
    {
        var project = await ProjectAsync();

        Assert.Contains(expected, project.Help.Output);
    }

    [Fact]
    public async Task Plan_for_submit_names_listfiles_then_submit_and_runs_nothing()
    {
        var project = await ProjectAsync();

        var plan = await RunBuildAsync(project.Folder, ["--plan", "Submit"], TimeSpan.FromMinutes(2));

        Assert.True(plan.ExitCode == 0, plan.ToString());
        Assert.Equal(
            [
                "Plan for Submit (2 targets, nothing runs):",
                "1. ListFiles  dependency of Submit",
                "2. Submit     requested",
            ],
            plan.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        );
    }

    [Fact]
    public async Task Submit_with_a_key_file_that_does_not_exist_stops_and_names_the_file()
    {
        var project = await ProjectAsync();

        var run = await RunBuildAsync(
            project.Folder,
            ["Submit", "--identity-file", "/nonexistent/key"],
            TimeSpan.FromMinutes(2)
        );

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("The SSH key /nonexistent/key does not exist.", run.Error);
    }
}
