using System.Text.Json;
using Tierpsy.Krypton.TestSupport;

namespace Tierpsy.Krypton.IntegrationTests;

/// <summary>
/// Setup over the real sshd, with stand-ins for <c>module</c> and <c>conda</c>, real git and real pip.
/// </summary>
public class SetupTests : TransferTestBase
{
    private sealed class Project : IDisposable
    {
        public TempDirectory Folder { get; } = new("krypton-setup-project");
        public StandInEnvironment Cluster { get; } = new();

        public Project(Action<Dictionary<string, object?>>? change = null)
        {
            var parameters = new Dictionary<string, object?>
            {
                ["Host"] = "127.0.0.1",
                ["Port"] = TestCluster.Port,
                ["User"] = "root",
                ["Scheduler"] = "slurm",
                ["IdentityFile"] = new[] { TestCluster.ClientKey },
                ["KnownHostsFile"] = TestCluster.KnownHosts,
                ["RemoteRoot"] = Path.Combine(Cluster.Root, "project"),
                ["TierpsySetup"] = Cluster.TierpsySetup(),
                ["SetupRoot"] = Cluster.Home,
                ["TierpsyRepository"] = Cluster.Repository,
                ["TierpsyRef"] = Cluster.Commit,
            };
            change?.Invoke(parameters);
            Folder.Write(".krypton/parameters.json", JsonSerializer.Serialize(parameters));
            var template = Path.Combine(ProcessRunner.RepositoryRoot(), "templates", "tierpsy-krypton", ".krypton");
            foreach (var file in new[] { "tierpsy-environment.yml", "tierpsy-requirements.txt" })
                File.Copy(Path.Combine(template, file), Path.Combine(Folder.Path, ".krypton", file));
        }

        public string EnvironmentFile => Path.Combine(Folder.Path, ".krypton", "tierpsy-environment.yml");

        public (int ExitCode, string Output, string Error, string All) Run(params string[] args) =>
            TransferTestBase.Run(Folder.Path, args);

        public void Dispose()
        {
            Folder.Dispose();
            Cluster.Dispose();
        }
    }

    [Fact]
    public async Task Setup_creates_the_environment_from_git_then_finds_it_and_after_an_interruption_does_what_is_left()
    {
        TestCluster.Require();
        using var project = new Project();

        var first = project.Run("Setup");

        Assert.True(first.ExitCode == 0, first.All);
        Assert.Contains("[1/4] find conda: done", first.Output);
        Assert.Contains("[2/4] create the conda environment tierpsy (conda solves for minutes): done", first.Output);
        Assert.Contains($"[3/4] get Tierpsy's source at {project.Cluster.Commit}", first.Output);
        Assert.Contains("[4/4] install Tierpsy into tierpsy (pip install -e): done", first.Output);
        var installed = Path.Combine(project.Cluster.Environment("tierpsy"), "bin", "tierpsy_process");
        Assert.Contains($"Tierpsy is set up: {installed}", first.Output);
        var log = File.ReadAllText(Path.Combine(project.Folder.Path, ".krypton", "state", "setup.log"));
        Assert.Contains("conda env create --name tierpsy --file", log);
        Assert.Contains("Successfully installed tierpsy", log);

        var again = project.Run("Setup");

        Assert.True(again.ExitCode == 0, again.All);
        Assert.Contains($"tierpsy_process already runs after the TierpsySetup lines: {installed}", again.Output);
        Assert.DoesNotContain("[1/4]", again.Output);

        // As if the last step had been interrupted: the environment and the source are there, Tierpsy is not.
        var pip = Path.Combine(project.Cluster.Environment("tierpsy"), "bin", "pip");
        var uninstall = await ProcessRunner.RunAsync(
            pip,
            ["uninstall", "-y", "tierpsy"],
            project.Cluster.Root,
            null,
            TimeSpan.FromMinutes(1),
            Ct
        );
        Assert.True(uninstall.ExitCode == 0, uninstall.All);
        var resumed = project.Run("Setup");

        Assert.True(resumed.ExitCode == 0, resumed.All);
        Assert.Contains(
            "[2/4] create the conda environment tierpsy (conda solves for minutes): already done",
            resumed.Output
        );
        Assert.Contains(
            "into " + Path.Combine(project.Cluster.Home, "tierpsy-tracker") + ": already done",
            resumed.Output
        );
        Assert.Contains("[4/4] install Tierpsy into tierpsy (pip install -e): done", resumed.Output);
        Assert.Contains("ok    tierpsy_process: " + installed, project.Run("Doctor").Output);
    }

    [Fact]
    public void A_package_conda_cannot_find_stops_Setup_with_condas_line_and_what_to_do_and_a_fixed_file_converges()
    {
        TestCluster.Require();
        using var project = new Project();
        var good = File.ReadAllText(project.EnvironmentFile);
        File.WriteAllText(project.EnvironmentFile, good.Replace("  - numpy=1.18.1", "  - nunpy=1.18.1"));

        var failed = project.Run("Setup");

        Assert.Equal(1, failed.ExitCode);
        Assert.Contains(
            "Setup failed at \"create the conda environment tierpsy (conda solves for minutes)\" (exit code 1):",
            failed.Error
        );
        Assert.Contains("ResolvePackageNotFound: - nunpy=1.18.1", failed.Error);
        Assert.Contains("fix .krypton/tierpsy-environment.yml and run Setup again", failed.Error);
        Assert.Contains(".krypton/state/setup.log", failed.Error);
        Assert.False(Directory.Exists(project.Cluster.Environment("tierpsy")));

        File.WriteAllText(project.EnvironmentFile, good);
        var fixedRun = project.Run("Setup");
        Assert.True(fixedRun.ExitCode == 0, fixedRun.All);
        Assert.Contains("Tierpsy is set up", fixedRun.Output);
    }

    [Fact]
    public void An_unknown_module_stops_Setup_at_its_first_step_with_the_modules_error()
    {
        TestCluster.Require();
        using var project = new Project(p =>
            p["SetupModules"] = new[] { $". '{((string[])p["TierpsySetup"]!)[0][3..^1]}'", "module load Anaconda2" }
        );

        var failed = project.Run("Setup");

        Assert.Equal(1, failed.ExitCode);
        Assert.Contains("Setup failed at \"find conda\"", failed.Error);
        Assert.Contains("ERROR: Unable to locate a modulefile for 'Anaconda2'", failed.Error);
        Assert.Contains("Set --setup-modules to the lines that load conda", failed.Error);
    }

    [Fact]
    public void A_dry_run_prints_every_step_and_changes_nothing_on_the_cluster()
    {
        TestCluster.Require();
        using var project = new Project();

        var dry = project.Run("Setup", "--dry-run");

        Assert.True(dry.ExitCode == 0, dry.All);
        Assert.Contains(
            "[dry-run] would write " + Path.Combine(project.Cluster.Home, "tierpsy-tracker-setup"),
            dry.Output
        );
        Assert.Contains("conda env create --name tierpsy --file", dry.Output);
        Assert.Contains($"git clone '{project.Cluster.Repository}'", dry.Output);
        Assert.Contains("pip install --no-build-isolation -e .", dry.Output);
        Assert.Empty(Directory.GetFileSystemEntries(project.Cluster.Home));
        Assert.False(Directory.Exists(Path.Combine(project.Cluster.Root, "anaconda3", "envs")));
    }

    [Fact]
    public void TierpsySetup_lines_that_do_not_activate_the_new_environment_are_named_with_the_lines_to_use()
    {
        TestCluster.Require();
        using var project = new Project(p =>
        {
            p["TierpsySetup"] = ((string[])p["TierpsySetup"]!)[..2];
            p["TierpsyEnvironment"] = "tierpsy-1.5.3a";
        });

        var run = project.Run("Setup");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("Tierpsy is installed (", run.Error);
        Assert.Contains("but the TierpsySetup lines do not make it available", run.Error);
        Assert.Contains("\"module load Anaconda3\", \"source activate tierpsy-1.5.3a\"]", run.Error);
    }

    [Fact]
    public void A_local_copy_of_the_source_is_uploaded_checksummed_and_installed_without_git()
    {
        TestCluster.Require();
        using var project = new Project(p => p["TierpsyRepository"] = "/nowhere/no-such-repository.git");

        var run = project.Run("Setup", "--tierpsy-source", project.Cluster.Repository);

        Assert.True(run.ExitCode == 0, run.All);
        Assert.DoesNotContain("get Tierpsy's source", run.Output);
        Assert.Contains("[3/3] install Tierpsy into tierpsy (pip install -e): done", run.Output);
        var copy = Path.Combine(project.Cluster.Home, "tierpsy-tracker");
        Assert.Equal(
            File.ReadAllBytes(Path.Combine(project.Cluster.Repository, "tierpsy_process")),
            File.ReadAllBytes(Path.Combine(copy, "tierpsy_process"))
        );
        Assert.False(Directory.Exists(Path.Combine(copy, ".git")));
        Assert.Contains("Tierpsy is set up", run.Output);
    }
}
