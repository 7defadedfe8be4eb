using System.Diagnostics;

namespace Tierpsy.Krypton.Tool;

/// <summary>
/// Runs a project's own build script (<c>build/_build.csproj</c>) as <c>./build.sh</c> runs it: compile (the compiler's
/// warnings once, its whole output when it fails), then run with the same arguments; when nothing it depends on
/// changed since it was compiled (<see cref="ScriptInputs"/>), run the compiled script at once. So the tool and
/// build.sh behave the same: targets overridden in <c>build/Build.cs</c> apply, and the parameter files are checked
/// at compile time.
/// </summary>
internal static class ProjectScript
{
    /// <summary>
    /// The project's build script; null when the project has none (the tool then runs the library's workflow).
    /// </summary>
    public static string? Find(string root) =>
        Path.Combine(root, "build", "_build.csproj") is var project && File.Exists(project) ? project : null;

    /// <summary>Compiles and runs <paramref name="project"/>; returns the exit code to end with.</summary>
    public static int Run(string project, string root, IReadOnlyList<string> args)
    {
        var inputs = new ScriptInputs(root);
        if (inputs.Unchanged())
            return Exit(Start([inputs.Compiled, .. args], root, redirect: false));
        var compile = Start(
            ["build", project, "-nologo", "-v", "q", "-clp:NoSummary", "/nodeReuse:false"],
            root,
            redirect: true
        );
        var output = compile.StandardOutput.ReadToEndAsync();
        var error = compile.StandardError.ReadToEnd();
        compile.WaitForExit();
        var text = output.Result + error;
        if (compile.ExitCode != 0)
        {
            inputs.Forget();
            Console.Error.WriteLine(text.TrimEnd());
            Console.Error.WriteLine($"error: {Path.GetRelativePath(root, project)} does not compile; see above.");
            return 1;
        }
        foreach (var warning in text.Split('\n').Select(l => l.TrimEnd()).Where(IsWarning).Distinct())
            Console.Error.WriteLine(warning);
        inputs.Record();
        return Exit(Start(["run", "--project", project, "--no-build", "--", .. args], root, redirect: false));
    }

    private static int Exit(Process run)
    {
        run.WaitForExit();
        return run.ExitCode;
    }

    private static bool IsWarning(string line) => line.Contains(": warning ", StringComparison.Ordinal);

    private static Process Start(IEnumerable<string> arguments, string root, bool redirect)
    {
        var start = new ProcessStartInfo(Dotnet())
        {
            WorkingDirectory = Directory.GetCurrentDirectory(),
            RedirectStandardOutput = redirect,
            RedirectStandardError = redirect,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        start.Environment["KRYPTON_ROOT"] = root;
        start.Environment["KRYPTON_COMMAND"] = "dotnet tierpsy-krypton";
        start.Environment["DOTNET_NOLOGO"] = "1";
        return Process.Start(start) ?? throw new InvalidOperationException("dotnet could not be started.");
    }

    /// <summary>
    /// The dotnet on PATH, as build.sh runs (Process.Start would take the one beside the running host first); the
    /// running host where PATH has none.
    /// </summary>
    private static string Dotnet() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(folder => Path.Combine(folder, OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet"))
            .FirstOrDefault(File.Exists)
        ?? Environment.ProcessPath
        ?? "dotnet";
}
