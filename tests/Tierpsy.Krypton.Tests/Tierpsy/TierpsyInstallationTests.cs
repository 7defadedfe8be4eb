using Tierpsy.Krypton.TestSupport;
using Tierpsy.Krypton.Tierpsy;

namespace Tierpsy.Krypton.Tests.Tierpsy;

/// <summary>Setup's steps, as the cluster runs them.</summary>
public class TierpsyInstallationTests
{
    private static InstallOptions Options(EnvironmentManager manager, string? repository) =>
        new(
            manager,
            "tierpsy",
            ["module load Anaconda3"],
            "/home/lab user/tierpsy-tracker",
            repository,
            TierpsyInstallation.PinnedRef,
            "/home/lab user/tierpsy-tracker-setup/env file.yml",
            "/home/lab user/.virtualenvs"
        );

    private static string Render(InstallOptions options) =>
        string.Join(
            "\n\n",
            TierpsyInstallation
                .Steps(options)
                .Select((s, i) => $"### [{i + 1}] {s.Name}\n{s.Command}\n# when it fails: {s.Advice}")
        )
        + "\n\n### TierpsySetup\n"
        + string.Join("\n", TierpsyInstallation.ActivationLines(options))
        + "\n";

    [Theory]
    [InlineData(EnvironmentManager.Conda)]
    [InlineData(EnvironmentManager.Venv)]
    public void The_steps_from_git_are_the_approved_ones(EnvironmentManager manager) =>
        Approvals.Verify(
            Render(Options(manager, TierpsyInstallation.UpstreamRepository)),
            $"{nameof(The_steps_from_git_are_the_approved_ones)}.{manager}"
        );

    [Fact]
    public void An_uploaded_source_has_no_git_step_and_is_installed_from_where_it_was_copied()
    {
        var steps = TierpsyInstallation.Steps(Options(EnvironmentManager.Conda, repository: null));

        Assert.Equal(["find", "create", "install"], steps.Select(s => s.Name.Split(' ')[0]));
        Assert.DoesNotContain(steps, s => s.Command.Contains("git ", StringComparison.Ordinal));
        Assert.Contains("cd '/home/lab user/tierpsy-tracker' && pip install", steps[^1].Command);
    }

    [Fact]
    public void Each_step_prints_the_already_done_line_where_it_skips_its_work()
    {
        var steps = TierpsyInstallation.Steps(
            Options(EnvironmentManager.Conda, TierpsyInstallation.UpstreamRepository)
        );

        Assert.All(steps.Skip(1), s => Assert.Contains($"echo '{TierpsyInstallation.AlreadyDone}'", s.Command));
    }

    [Theory]
    [InlineData("", "\nResolvePackageNotFound: \n  - nunpy=1.18.1\n\n", "ResolvePackageNotFound: - nunpy=1.18.1")]
    [InlineData(
        "Cloning\n",
        "warning: x\nfatal: repository '/r' does not exist\nmore\n",
        "fatal: repository '/r' does not exist"
    )]
    [InlineData(
        "",
        "ERROR: Unable to locate a modulefile for 'Anaconda2'\n",
        "ERROR: Unable to locate a modulefile for 'Anaconda2'"
    )]
    [InlineData("last words\n", "", "last words")]
    [InlineData("", "just this\n", "just this")]
    [InlineData("", "", "(no output)")]
    public void The_failing_line_is_the_last_that_names_an_error(string output, string error, string expected) =>
        Assert.Equal(expected, TierpsyInstallation.FailingLine(output, error));

    [Theory]
    [InlineData("source activate tierpsy", true)]
    [InlineData("conda activate tierpsy", true)]
    [InlineData(". ~/.virtualenvs/tierpsy/bin/activate", true)]
    [InlineData("module load Anaconda3", false)]
    [InlineData(". /etc/profile.d/modules.sh", false)]
    [InlineData("export PATH=/opt/bin:$PATH", false)]
    public void Setups_module_lines_are_TierpsySetups_lines_that_activate_no_environment(string line, bool activates) =>
        Assert.Equal(activates, TierpsyInstallation.Activates(line));
}
