using Tierpsy.Krypton.Targets;
using Tierpsy.Krypton.TestSupport;

namespace Tierpsy.Krypton.Tests.Targets;

public class ParameterTests
{
    public enum Scheduler
    {
        PbsPro,
        Torque,
        Slurm,
        Local,
    }

    private class ParameterBuild : BuildBase
    {
        [Parameter("Cluster login host")]
        public readonly string? Host;

        [Parameter("Cluster user")]
        public string? User { get; set; }

        [Parameter("Remote project folder")]
        public string RemoteRoot { get; } = "~/tierpsy_demo";

        [Parameter]
        public int Cpus = 1;

        [Parameter]
        public double MemoryGb = 4;

        [Parameter]
        public Scheduler Scheduler = Scheduler.PbsPro;

        [Parameter]
        public TimeSpan Walltime = TimeSpan.FromHours(30);

        [Parameter]
        public bool Resubmit;

        [Parameter]
        public string[] Days = [];

        [Parameter]
        public AbsolutePath? Source;

        [Parameter, Secret]
        public string? Passphrase;

        public List<string> Ran { get; } = [];
        Target Submit => _ => _.Requires(() => Host).Requires(() => User).Executes(() => Ran.Add(nameof(Submit)));
        Target Show => _ => _.Executes(() => Log.Info($"host={Host}"));
    }

    [Fact]
    public void Command_line_beats_environment_beats_profiles_beats_parameters_json()
    {
        using var root = new TempDirectory();
        root.Write(
            ".krypton/parameters.json",
            """{ "Host": "from-json", "User": "json-user", "Cpus": 2, "RemoteRoot": "json-root", "Walltime": "10:00:00" }"""
        );
        root.Write(
            ".krypton/parameters.small.json",
            """{ "Cpus": 3, "RemoteRoot": "small-root", "Walltime": "20:00:00" }"""
        );
        root.Write(".krypton/parameters.tiny.json", """{ "Walltime": "1:00:00" }""");
        var environment = new Dictionary<string, string>
        {
            ["KRYPTON_REMOTE_ROOT"] = "env-root",
            ["REMOTE_ROOT"] = "plain-env-root",
            ["CPUS"] = "5",
        };

        var run = BuildHarness.Run<ParameterBuild>(
            ["Show", "--cpus", "8", "--profile", "small", "tiny"],
            environment,
            root.Path
        );

        Assert.Equal(0, run.ExitCode);
        var build = run.Build;
        Assert.Equal("from-json", build.Host);
        Assert.Equal(8, build.Cpus);
        Assert.Equal("env-root", build.RemoteRoot);
        Assert.Equal(TimeSpan.FromHours(1), build.Walltime);
        Assert.Contains("host=from-json", run.Output);
    }

    [Fact]
    public void Only_krypton_prefixed_environment_variables_set_parameters()
    {
        using var root = new TempDirectory();
        root.Write(".krypton/parameters.json", """{ "RemoteRoot": "json-root", "Cpus": 2 }""");
        // Left in a shell by something else: CONFIRM=1 would turn a Clean into a deletion.
        var environment = new Dictionary<string, string>
        {
            ["USER"] = "laptop-user",
            ["HOST"] = "laptop",
            ["REMOTE_ROOT"] = "/data/x",
            ["CPUS"] = "64",
            ["RESUBMIT"] = "1",
            ["KRYPTON_PASSPHRASE"] = "s3cret",
        };

        var run = BuildHarness.Run<ParameterBuild>(["Show"], environment, root.Path);

        Assert.Null(run.Build.User);
        Assert.Null(run.Build.Host);
        Assert.Equal("json-root", run.Build.RemoteRoot);
        Assert.Equal(2, run.Build.Cpus);
        Assert.False(run.Build.Resubmit);
        Assert.Equal("s3cret", run.Build.Passphrase);

        var prefixed = BuildHarness.Run<ParameterBuild>(
            ["Show"],
            new Dictionary<string, string> { ["KRYPTON_USER"] = "jdoe", ["KRYPTON_RESUBMIT"] = "1" }
        );
        Assert.Equal("jdoe", prefixed.Build.User);
        Assert.True(prefixed.Build.Resubmit);
    }

    private sealed class RangedBuild : BuildBase
    {
        [Parameter("CPUs", Minimum = 1)]
        public int Cpus = 1;

        [Parameter("Walltime", Minimum = 60)]
        public TimeSpan Walltime = TimeSpan.FromHours(1);
        Target Show => _ => _.Executes(() => { });
    }

    [Theory]
    [InlineData("--cpus", "0", "Parameter --cpus (command line): must be at least 1, found '0'.")]
    [InlineData("--cpus", "-3", "Parameter --cpus (command line): must be at least 1, found '-3'.")]
    [InlineData(
        "--walltime",
        "0:00:00",
        "Parameter --walltime (command line): must be at least 0:01:00, found '0:00:00'."
    )]
    [InlineData(
        "--walltime",
        "1:30",
        "Parameter --walltime (command line): '1:30' is ambiguous: sbatch and qsub read two parts as minutes:seconds."
    )]
    public void Values_outside_a_parameters_range_are_refused_before_anything_runs(
        string option,
        string value,
        string message
    )
    {
        var run = BuildHarness.Run<RangedBuild>(["Show", option, value]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(message, run.Error);
    }

    [Fact]
    public void A_relative_path_on_the_command_line_is_relative_to_the_working_folder_and_in_a_file_to_the_project()
    {
        using var project = new TempDirectory("krypton project");
        using var shell = new TempDirectory("krypton cwd");
        project.Write(".krypton/parameters.json", """{ "Source": "RawVideos/20210503" }""");

        var run = BuildHarness.Run<ParameterBuild>(
            ["Show", "--root", project.Path, "--source", "videos/20210504"],
            root: shell.Path
        );
        var fromFile = BuildHarness.Run<ParameterBuild>(["Show", "--root", project.Path], root: shell.Path);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(Path.Combine(shell.Path, "videos", "20210504"), run.Build.Source!.ToString());
        Assert.Equal(Path.Combine(project.Path, "RawVideos", "20210503"), fromFile.Build.Source!.ToString());
    }

    [Fact]
    public void A_root_that_does_not_exist_is_named_as_such()
    {
        var run = BuildHarness.Run<ParameterBuild>(["Show", "--root", "/nonexistent/krypton-project"]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("The project folder /nonexistent/krypton-project (from --root) does not exist.", run.Error);
    }

    [Fact]
    public void An_unknown_option_without_a_target_is_an_error_not_the_help()
    {
        var run = BuildHarness.Run<ParameterBuild>(["--foo"]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("Unknown option --foo.", run.Error);
    }

    [Fact]
    public void Targets_can_be_named_with_nukes_long_form()
    {
        var run = BuildHarness.Run<ParameterBuild>(["--target", "Show", "--host", "login"]);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("host=login", run.Output);
    }

    [Fact]
    public void Values_are_converted_to_their_declared_types()
    {
        using var root = new TempDirectory();
        var run = BuildHarness.Run<ParameterBuild>(
            [
                "Show",
                "--memory-gb",
                "2.5",
                "--scheduler",
                "pbs-pro",
                "--walltime",
                "90m",
                "--resubmit",
                "--days",
                "20210504",
                "20210506",
                "--source",
                "RawVideos/2021 $day",
                "--cpus=4",
            ],
            root: root.Path
        );

        Assert.Equal(0, run.ExitCode);
        var build = run.Build;
        Assert.Equal(2.5, build.MemoryGb);
        Assert.Equal(Scheduler.PbsPro, build.Scheduler);
        Assert.Equal(TimeSpan.FromMinutes(90), build.Walltime);
        Assert.True(build.Resubmit);
        Assert.Equal(["20210504", "20210506"], build.Days);
        Assert.Equal(Path.Combine(root.Path, "RawVideos", "2021 $day"), build.Source!.ToString());
        Assert.Equal(4, build.Cpus);
    }

    [Fact]
    public void Array_values_from_the_environment_are_separated_like_PATH_so_spaces_survive()
    {
        var run = BuildHarness.Run<ParameterBuild>(
            ["Show"],
            new Dictionary<string, string> { ["KRYPTON_DAYS"] = $"day one{Path.PathSeparator}day two" }
        );

        Assert.Equal(["day one", "day two"], run.Build.Days);
    }

    [Fact]
    public void A_flag_followed_by_a_target_name_leaves_the_target_alone()
    {
        var run = BuildHarness.Run<ParameterBuild>("--resubmit", "Show", "--dry-run");

        Assert.Equal(0, run.ExitCode);
        Assert.True(run.Build.Resubmit);
        Assert.True(run.Build.IsDryRun);
        Assert.Equal(["Show"], run.Build.InvokedTargets);
    }

    [Theory]
    [InlineData(
        "--walltime",
        "abc",
        "Parameter --walltime (command line): expected a duration like 30:00:00 (hours:minutes:seconds) or 90m, found "
            + "'abc'."
    )]
    [InlineData("--cpus", "two", "Parameter --cpus (command line): expected a whole number, found 'two'.")]
    [InlineData(
        "--scheduler",
        "sge",
        "Parameter --scheduler (command line): expected one of pbs-pro, torque, slurm, local, found 'sge'."
    )]
    public void A_value_of_the_wrong_type_is_a_one_paragraph_error(string option, string value, string expected)
    {
        var run = BuildHarness.Run<ParameterBuild>("Show", option, value);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal("error: " + expected, run.Error.Trim());
        Assert.DoesNotContain("host=", run.Output);
    }

    [Fact]
    public void Unknown_option_is_an_error_with_a_suggestion()
    {
        var run = BuildHarness.Run<ParameterBuild>("Show", "--hots", "x");

        Assert.Equal(2, run.ExitCode);
        Assert.Equal(
            "error: Unknown option --hots. Did you mean --host? Run with --help to list every target, parameter and "
                + "option.",
            run.Error.Trim()
        );
    }

    [Fact]
    public void A_missing_required_parameter_stops_before_anything_runs_and_says_how_to_set_it()
    {
        var run = BuildHarness.Run<ParameterBuild>("Submit", "--user", "jdoe");

        Assert.Equal(2, run.ExitCode);
        Assert.Empty(run.Build.Ran);
        Assert.Equal(
            "error: Target Submit needs the parameter Host, which is not set. Set it with --host <value> on the "
                + "command line, "
                + "the environment variable KRYPTON_HOST, or \"Host\" in .krypton/parameters.json. Nothing was run.",
            run.Error.Trim()
        );
    }

    [Fact]
    public void Parameter_files_with_unknown_keys_or_bad_json_are_errors_naming_the_file()
    {
        using var root = new TempDirectory();
        root.Write(".krypton/parameters.json", "{ \"$schema\": \"parameters.schema.json\", \"Hots\": \"x\" }");
        root.Write(".krypton/parameters.broken.json", "{\n  \"Host\": \"x\",\n  \"User\" \"y\"\n}");

        var run = BuildHarness.Run<ParameterBuild>(["Show", "--profile", "broken", "missing"], root: root.Path);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(
            ".krypton/parameters.json sets \"Hots\", which is not a parameter of this build. Did you mean Host?",
            run.Error
        );
        Assert.Contains(".krypton/parameters.broken.json is not valid JSON (line 3, column", run.Error);
        Assert.Contains(
            "Profile 'missing' was asked for with --profile, but .krypton/parameters.missing.json does not exist. "
                + "Existing profiles: broken.",
            run.Error
        );
    }

    [Fact]
    public void Secrets_are_never_printed()
    {
        var run = BuildHarness.Run<ParameterBuild>("--help", "--passphrase", "hunter2");

        Assert.Equal(0, run.ExitCode);
        Assert.DoesNotContain("hunter2", run.All);
        Assert.Contains("= (secret, set) [command line]", run.Output);
    }
}
