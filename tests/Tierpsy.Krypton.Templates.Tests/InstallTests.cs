using Tierpsy.Krypton.TestSupport;

namespace Tierpsy.Krypton.Templates.Tests;

/// <summary>
/// The repository's ./build.sh Install, run as a user runs it, in a home of its own (HOME, DOTNET_CLI_HOME,
/// NUGET_PACKAGES and KRYPTON_PACKAGES point at a temporary folder), so the user's template store, global tools and
/// NuGet configuration are never touched. It installs the packages the fixture packed.
/// </summary>
[Collection(nameof(TemplatePack))]
public class InstallTests(TemplatePack pack)
{
    [Fact]
    public async Task Install_twice_then_a_new_project_restores_its_tool_with_no_source_given()
    {
        using var home = new TempDirectory("krypton-install-home");
        var environment = new Dictionary<string, string?>
        {
            ["HOME"] = home.Path,
            ["DOTNET_CLI_HOME"] = Path.Combine(home.Path, "cli"),
            ["NUGET_PACKAGES"] = Path.Combine(home.Path, "nuget-packages"),
            ["KRYPTON_PACKAGES"] = Path.Combine(home.Path, "krypton-packages"),
            ["KRYPTON_ROOT"] = pack.Repository,
            ["KRYPTON_COMMAND"] = "./build.sh",
        };
        var script = Path.Combine(pack.Repository, "build", "bin", "Debug", "net10.0", "_build.dll");
        Assert.True(File.Exists(script), $"{script} is missing: ./build.sh compiles it (run ./build.sh Test).");
        string[] install =
        [
            script,
            "Install",
            "--skip",
            "--packages",
            pack.Feed,
            "--package-version",
            TemplatePack.Version,
        ];

        var first = await TemplatePack.DotNet(install, pack.Repository, environment);
        var second = await TemplatePack.DotNet(install, pack.Repository, environment);
        var project = Path.Combine(home.Path, "demo");
        var created = await TemplatePack.DotNet(
            ["new", "tierpsy-krypton", "-n", "demo", "-o", project],
            home.Path,
            environment
        );
        var restore = await TemplatePack.DotNet(["tool", "restore"], project, environment);
        var version = await TemplatePack.DotNet(["tierpsy-krypton", "--version"], project, environment);

        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Contains("Removed an earlier install of the template pack Tierpsy.Krypton.Templates.", second.All);
        Assert.Contains($"Registered {environment["KRYPTON_PACKAGES"]} as the NuGet source tierpsy-krypton", first.All);
        Assert.Contains($"export PATH=\"$PATH:{Path.Combine(home.Path, "cli", ".dotnet", "tools")}\"", second.All);
        Assert.True(created.ExitCode == 0, created.ToString());
        Assert.True(restore.ExitCode == 0, restore.ToString());
        Assert.Equal($"Tierpsy.Krypton {TemplatePack.Version}", version.Output.Trim());
    }
}
