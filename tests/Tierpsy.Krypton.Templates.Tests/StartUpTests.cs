using Tierpsy.Krypton.TestSupport;

namespace Tierpsy.Krypton.Templates.Tests;

/// <summary>
/// build.sh and dotnet tierpsy-krypton compile the build script only when one of its inputs changed; otherwise they
/// run the compiled script at once. Each run goes through a <c>dotnet</c> first on PATH that records its arguments
/// and runs the real one.
/// </summary>
[Collection(nameof(TemplatePack))]
public class StartUpTests(TemplatePack pack)
{
    private static string RealDotnet =>
        Environment
            .GetEnvironmentVariable("PATH")!
            .Split(Path.PathSeparator)
            .Select(d => Path.Combine(d, "dotnet"))
            .First(File.Exists);

    private async Task<(ProcessResult Run, string[] Dotnet)> HelpAsync(string folder, TempDirectory bin) =>
        await HelpAsync(folder, bin, Path.Combine(folder, "build.sh"));

    /// <summary>
    /// <paramref name="command"/> --help through the recording <c>dotnet</c>, and what that was called with.
    /// </summary>
    private async Task<(ProcessResult Run, string[] Dotnet)> HelpAsync(
        string folder,
        TempDirectory bin,
        string command,
        params string[] args
    )
    {
        var calls = Path.Combine(bin.Path, "calls.txt");
        File.Delete(calls);
        var environment = new Dictionary<string, string?>(pack.ProjectEnvironment)
        {
            ["PATH"] = bin.Path + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH"),
        };
        var run = await ProcessRunner.RunAsync(
            command,
            [.. args, "--help"],
            folder,
            environment,
            TimeSpan.FromMinutes(5),
            TestContext.Current.CancellationToken
        );
        Assert.True(run.ExitCode == 0, run.ToString());
        return (run, File.ReadAllLines(calls));
    }

    /// <summary>A folder with the recording <c>dotnet</c>.</summary>
    private static TempDirectory Shim()
    {
        var bin = new TempDirectory("krypton dotnet shim");
        var shim = bin.Write(
            "dotnet",
            $"#!/bin/sh\necho \"$*\" >> '{Path.Combine(bin.Path, "calls.txt")}'\nexec '{RealDotnet}' \"$@\"\n"
        );
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(shim, (UnixFileMode)0b111_101_101);
        return bin;
    }

    [Fact]
    public async Task Help_with_nothing_changed_runs_the_compiled_script_and_an_edit_compiles_it_again()
    {
        var (folder, result) = await pack.NewProjectAsync("startup", "--scheduler", "local");
        Assert.True(result.ExitCode == 0, result.ToString());
        using var bin = Shim();

        var first = await HelpAsync(folder, bin);
        var again = await HelpAsync(folder, bin);
        File.AppendAllText(Path.Combine(folder, "build", "Build.cs"), "\n// an edit\n");
        var edited = await HelpAsync(folder, bin);

        Assert.StartsWith("build ", first.Dotnet[0], StringComparison.Ordinal);
        Assert.Equal(
            [$"{Path.Combine(folder, "build", "bin", "Debug", "net10.0", "_build.dll")} --help"],
            again.Dotnet
        );
        Assert.Equal(first.Run.Output, again.Run.Output);
        Assert.StartsWith("build ", edited.Dotnet[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_tool_runs_the_script_build_sh_compiled_and_compiles_it_again_after_an_edit()
    {
        var (folder, result) = await pack.NewProjectAsync("toolstart", "--scheduler", "local");
        Assert.True(result.ExitCode == 0, result.ToString());
        var restore = await TemplatePack.DotNet(
            ["tool", "restore", "--add-source", pack.Feed],
            folder,
            pack.ProjectEnvironment
        );
        Assert.True(restore.ExitCode == 0, restore.ToString());
        using var bin = Shim();
        var dotnet = Path.Combine(bin.Path, "dotnet");
        var compiled = Path.Combine(folder, "build", "bin", "Debug", "net10.0", "_build.dll");

        var script = await HelpAsync(folder, bin);
        var tool = await HelpAsync(folder, bin, dotnet, "tierpsy-krypton");
        File.AppendAllText(Path.Combine(folder, "build", "Build.cs"), "\n// an edit\n");
        var edited = await HelpAsync(folder, bin, dotnet, "tierpsy-krypton");
        var again = await HelpAsync(folder, bin);

        Assert.StartsWith("build ", script.Dotnet[0], StringComparison.Ordinal);
        Assert.Equal(["tierpsy-krypton --help", $"{compiled} --help"], tool.Dotnet);
        Assert.StartsWith("Usage: dotnet tierpsy-krypton [targets...]", tool.Run.Output);
        Assert.StartsWith("build ", edited.Dotnet[1], StringComparison.Ordinal);
        Assert.Equal([$"{compiled} --help"], again.Dotnet); // the tool's compile is build.sh's too
    }
}
