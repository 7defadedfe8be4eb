using System.Text.Json;
using Tierpsy.Krypton.TestSupport;

namespace Tierpsy.Krypton.Templates.Tests;

[Collection(nameof(TemplatePack))]
public class GeneratedProjectTests(TemplatePack pack)
{
    [Theory]
    [InlineData("pbspro")]
    [InlineData("torque")]
    [InlineData("slurm")]
    [InlineData("local")]
    public async Task Generated_tree_matches_the_approved_snapshot(string scheduler)
    {
        string[] options =
            scheduler == "local"
                ? ["--scheduler", "local"]
                : ["--scheduler", scheduler, "--host", "localhost", "--user", "jdoe"];

        var (folder, result) = await pack.NewProjectAsync("demo", options);

        Assert.True(result.ExitCode == 0, result.ToString());
        TreeSnapshot.Verify(folder, Path.Combine(SourceFolder(), "Snapshots", $"Generated_tree.{scheduler}"));
    }

    private static string SourceFolder([System.Runtime.CompilerServices.CallerFilePath] string file = "") =>
        Path.GetDirectoryName(file)!;

    [Fact]
    public async Task Installing_from_the_template_folder_gives_the_same_project_with_the_repository_version()
    {
        var hive = Path.Combine(pack.Work, "folder-hive");
        var install = await TemplatePack.DotNet(
            [
                "new",
                "install",
                Path.Combine(pack.Repository, "templates", "tierpsy-krypton"),
                "--debug:custom-hive",
                hive,
            ],
            pack.Work
        );
        Assert.True(install.ExitCode == 0, install.ToString());
        var fromFolder = Path.Combine(pack.Work, "from-folder");
        var created = await TemplatePack.DotNet(
            [
                "new",
                "tierpsy-krypton",
                "-n",
                "demo",
                "-o",
                fromFolder,
                "--debug:custom-hive",
                hive,
                "--scheduler",
                "pbspro",
                "--host",
                "localhost",
                "--user",
                "jdoe",
            ],
            pack.Work
        );
        Assert.True(created.ExitCode == 0, created.ToString());
        var (fromPackage, result) = await pack.NewProjectAsync(
            "demo",
            "--scheduler",
            "pbspro",
            "--host",
            "localhost",
            "--user",
            "jdoe"
        );
        Assert.True(result.ExitCode == 0, result.ToString());

        var repositoryVersion = System
            .Xml.Linq.XDocument.Load(Path.Combine(pack.Repository, "Directory.Build.props"))
            .Descendants("Version")
            .Single()
            .Value;
        Assert.Equal(
            TreeSnapshot
                .Render(fromPackage)
                .Replace($"\"{TemplatePack.Version}\"", $"\"{repositoryVersion}\"", StringComparison.Ordinal),
            TreeSnapshot.Render(fromFolder)
        );
    }

    [Fact]
    public async Task The_pinned_tool_runs_the_projects_build_script_so_an_overridden_target_applies()
    {
        var (folder, result) = await pack.NewProjectAsync("demo", "--scheduler", "local");
        Assert.True(result.ExitCode == 0, result.ToString());
        var script = Path.Combine(folder, "build", "Build.cs");
        File.WriteAllText(
            script,
            File.ReadAllText(script)
                .Replace(
                    "    public static int Main() => Execute<Build>();",
                    """
                        public static int Main() => Execute<Build>();

                        public override Target ListFiles => _ => base.ListFiles(_).Executes(() => Log.Info("overridden"));
                    """,
                    StringComparison.Ordinal
                )
        );

        var restore = await TemplatePack.DotNet(
            ["tool", "restore", "--add-source", pack.Feed],
            folder,
            pack.ProjectEnvironment
        );
        Assert.True(restore.ExitCode == 0, restore.ToString());
        var plan = await TemplatePack.DotNet(
            ["tierpsy-krypton", "--plan", "Submit"],
            Path.Combine(folder, "Results"),
            pack.ProjectEnvironment
        );
        var dry = await TemplatePack.DotNet(
            ["tierpsy-krypton", "ListFiles", "--dry-run"],
            folder,
            pack.ProjectEnvironment
        );
        var help = await TemplatePack.DotNet(["tierpsy-krypton", "--help"], folder, pack.ProjectEnvironment);
        var elsewhere = await TemplatePack.DotNet(["tierpsy-krypton", "Submit"], pack.Feed, pack.ProjectEnvironment);

        Assert.True(plan.ExitCode == 0, plan.ToString());
        Assert.Contains("1. ListFiles  dependency of Submit", plan.Output);
        Assert.Contains("overridden", dry.Output); // the override in build/Build.cs ran, as with ./build.sh
        Assert.StartsWith("Usage: dotnet tierpsy-krypton [targets...]", help.Output);
        Assert.True(
            help.Output.Contains("= local [.krypton/parameters.json]", StringComparison.Ordinal),
            help.ToString()
        );
        Assert.NotEqual(0, elsewhere.ExitCode);

        // A project without a build script gets the workflow as the library ships it.
        Directory.Delete(Path.Combine(folder, "build"), recursive: true);
        var library = await TemplatePack.DotNet(
            ["tierpsy-krypton", "--plan", "Submit"],
            folder,
            pack.ProjectEnvironment
        );
        Assert.True(library.ExitCode == 0, library.ToString());
        Assert.Contains("1. ListFiles  dependency of Submit", library.Output);
    }

    [Fact]
    public async Task The_build_writes_the_parameter_schema_and_a_typo_in_a_parameter_file_fails_it_at_its_line_before_anything_runs()
    {
        var (folder, result) = await pack.NewProjectAsync("checked", "--scheduler", "local");
        Assert.True(result.ExitCode == 0, result.ToString());
        var build = Path.Combine(folder, "build.sh");

        var first = await ProcessRunner.RunAsync(
            build,
            ["--plan", "Submit"],
            folder,
            pack.ProjectEnvironment,
            TimeSpan.FromMinutes(5),
            TestContext.Current.CancellationToken
        );
        Assert.True(first.ExitCode == 0, first.ToString());
        using (
            var schema = JsonDocument.Parse(
                File.ReadAllText(Path.Combine(folder, ".krypton", "parameters.schema.json"))
            )
        )
        {
            var properties = schema.RootElement.GetProperty("properties");
            Assert.Equal(
                "Walltime of one task",
                properties.GetProperty("Walltime").GetProperty("description").GetString()
            );
            Assert.Equal(
                ["pbspro", "torque", "slurm", "local"],
                properties.GetProperty("Scheduler").GetProperty("enum").EnumerateArray().Select(e => e.GetString())
            );
            Assert.False(properties.TryGetProperty("KeyPassphrase", out _), "a secret must not be offered for a file");
        }
        using (
            var parameters = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, ".krypton", "parameters.json")))
        )
        using (
            var schema = JsonDocument.Parse(
                File.ReadAllText(Path.Combine(folder, ".krypton", "parameters.schema.json"))
            )
        )
        {
            Assert.Equal("./parameters.schema.json", parameters.RootElement.GetProperty("$schema").GetString());
            var properties = schema.RootElement.GetProperty("properties");
            foreach (var key in parameters.RootElement.EnumerateObject())
                Assert.True(
                    properties.TryGetProperty(key.Name, out _),
                    $"the scaffolded key {key.Name} is not offered by the schema"
                );
        }

        var paramsFile = Path.Combine(folder, "AuxiliaryFiles", "loopbio_rig_96WP_splitFOV_NN_20220310.json");
        var lines = File.ReadAllLines(paramsFile);
        var line = Array.FindIndex(lines, l => l.Contains("\"mask_min_area\"", StringComparison.Ordinal));
        var column = lines[line].IndexOf('"', StringComparison.Ordinal) + 1;
        File.WriteAllText(
            paramsFile,
            File.ReadAllText(paramsFile).Replace("\"mask_min_area\"", "\"mask_min_aera\"", StringComparison.Ordinal)
        );

        var broken = await ProcessRunner.RunAsync(
            build,
            ["ListFiles"],
            folder,
            pack.ProjectEnvironment,
            TimeSpan.FromMinutes(5),
            TestContext.Current.CancellationToken
        );

        Assert.NotEqual(0, broken.ExitCode);
        Assert.Contains(
            $"{paramsFile}({line + 1},{column}): error KRY001: \"mask_min_aera\" is not a Tierpsy 1.5.3a parameter",
            broken.All
        );
        Assert.Contains("Did you mean \"mask_min_area\"?", broken.All);
        Assert.DoesNotContain("ListFiles", broken.Output.Replace("build.sh ListFiles", "", StringComparison.Ordinal));
        Assert.False(
            Directory.Exists(Path.Combine(folder, "workspace")),
            "nothing may run when the parameter file is wrong"
        );
    }

    [Fact]
    public async Task A_warning_of_the_parameter_checks_is_shown_once_when_the_script_compiles_and_not_again()
    {
        var (folder, result) = await pack.NewProjectAsync("warned", "--scheduler", "local");
        Assert.True(result.ExitCode == 0, result.ToString());
        var paramsFile = Path.Combine(folder, "AuxiliaryFiles", "loopbio_rig_96WP_splitFOV_NN_20220310.json");
        var json = File.ReadAllText(paramsFile);
        File.WriteAllText(
            paramsFile,
            json.Insert(json.IndexOf('{', StringComparison.Ordinal) + 1, "\n  \"mask_min_area\": 50,")
        );
        var build = Path.Combine(folder, "build.sh");

        var first = await ProcessRunner.RunAsync(
            build,
            ["--plan", "Submit"],
            folder,
            pack.ProjectEnvironment,
            TimeSpan.FromMinutes(5),
            TestContext.Current.CancellationToken
        );
        var second = await ProcessRunner.RunAsync(
            build,
            ["--plan", "Submit"],
            folder,
            pack.ProjectEnvironment,
            TimeSpan.FromMinutes(5),
            TestContext.Current.CancellationToken
        );

        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Single(first.Error.Split('\n'), l => l.Contains("warning KRY010", StringComparison.Ordinal));
        Assert.Contains($"{paramsFile}(", first.Error);
        Assert.Contains("mask_min_area", first.Error);
        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.DoesNotContain("KRY010", second.All);
    }

    [Theory]
    [InlineData("--scheduler", "sge", "'sge' is not a valid value for --scheduler")]
    [InlineData("--cpus", "two", "Cannot parse argument 'two' for option '--cpus'")]
    public async Task A_bad_option_value_is_refused_by_dotnet_new(string option, string value, string message)
    {
        var (folder, result) = await pack.NewProjectAsync("demo", option, value);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains(message, result.All);
        Assert.False(Directory.Exists(folder));
    }

    [Fact]
    public async Task A_name_with_a_slash_is_refused_by_dotnet_new()
    {
        var result = await TemplatePack.DotNet(
            ["new", "tierpsy-krypton", "-n", "a/b", "--debug:custom-hive", pack.Hive],
            pack.Work
        );

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("Name cannot contain any of the following characters '/'", result.All);
    }

    [Theory]
    [InlineData("--walltime", "abc", "error: --walltime expects a duration like 30:00:00")]
    [InlineData("--cpus", "0", "error: --cpus must be between 1 and 4096")]
    [InlineData("--cpus", "-3", "error: --cpus must be between 1 and 4096")]
    [InlineData("--port", "99999", "error: --port must be between 1 and 65535")]
    [InlineData("--host", "login\"node", "error: --host must be a host name")]
    [InlineData("--user", "j doe", "error: --user must be a user name")]
    [InlineData("--queue", "long\\q", "error: --queue must be a queue or partition name")]
    [InlineData("--memory", "lots", "error: --memory must be an amount")]
    [InlineData("--mail", "j doe@lab.org", "error: --mail must be one e-mail address")]
    [InlineData("--account", "lab\"x", "error: --account must be an account or project name")]
    [InlineData("--job-name", "my run", "error: --job-name must start with a letter")]
    [InlineData("--directive", "--qos=long", "error: --directive takes directive lines that start with #")]
    public async Task A_value_the_project_could_not_use_fails_dotnet_new_and_creates_no_project(
        string option,
        string value,
        string message
    )
    {
        var (folder, result) = await pack.NewProjectAsync("demo", option, value);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains(message, result.All);
        Assert.Contains(
            "No project was created: run dotnet new tierpsy-krypton again with the value corrected.",
            result.All
        );
        // The template engine makes the output folder before it runs post-actions; nothing is written into it.
        Assert.Empty(Directory.Exists(folder) ? Directory.GetFileSystemEntries(folder) : []);
    }

    [Fact]
    public async Task Valid_values_with_quotes_and_backslashes_are_json_escaped_in_the_parameters()
    {
        var (folder, result) = await pack.NewProjectAsync(
            "demo",
            "--walltime",
            "90m",
            "--memory",
            "16gb",
            "--remote-root",
            "/scratch/a \"b\" c\\d",
            "--tierpsy-setup",
            "echo \"x\\y\"; source activate tierpsy",
            "--pattern",
            "*\"q.yaml"
        );

        Assert.True(result.ExitCode == 0, result.All);
        Assert.DoesNotContain("error:", result.All);
        using var parameters = JsonDocument.Parse(
            File.ReadAllText(Path.Combine(folder, ".krypton", "parameters.json"))
        );
        var root = parameters.RootElement;
        Assert.Equal("/scratch/a \"b\" c\\d", root.GetProperty("RemoteRoot").GetString());
        Assert.Equal(
            ["echo \"x\\y\"", "source activate tierpsy"],
            root.GetProperty("TierpsySetup").EnumerateArray().Select(e => e.GetString())
        );
        Assert.Equal("*\"q.yaml", root.GetProperty("Pattern").GetString());
        Assert.Equal("16gb", root.GetProperty("Memory").GetString());
    }
}
