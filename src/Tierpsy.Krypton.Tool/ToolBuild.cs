using Tierpsy.Krypton.Targets;
using Tierpsy.Krypton.Workflow;

namespace Tierpsy.Krypton.Tool;

/// <summary>
/// dotnet tierpsy-krypton: in a project with a build script, that script, compiled and run as ./build.sh runs it
/// (<see cref="ProjectScript"/>); in a project without one, the workflow exactly as the library ships it.
/// </summary>
internal sealed class ToolBuild : TierpsyBuild
{
    public static int Main()
    {
        var args = Environment.GetCommandLineArgs().Skip(1).ToList();
        if (args.Contains("--version"))
            return Execute<ToolBuild>();
        var root = RootGiven(args) ?? ProjectRoot.Find(Directory.GetCurrentDirectory());
        if (root is null && !args.Any(a => a is "--help" or "-h"))
        {
            Console.Error.WriteLine(
                """
                error: no Tierpsy project here: neither this folder nor a folder above it has .krypton/.
                Run dotnet tierpsy-krypton inside a project made with 'dotnet new tierpsy-krypton',
                or pass --root <project folder>.
                """
            );
            return 2;
        }
        if (root is not null && ProjectScript.Find(root) is { } script)
            return ProjectScript.Run(script, root, args);
        Environment.SetEnvironmentVariable("KRYPTON_COMMAND", "dotnet tierpsy-krypton");
        return Execute<ToolBuild>();
    }

    /// <summary>
    /// The project root given with --root (or --root=) or KRYPTON_ROOT, as a full path; null when none is.
    /// </summary>
    private static string? RootGiven(List<string> args)
    {
        var at = args.IndexOf("--root");
        var given =
            at >= 0 && at + 1 < args.Count
                ? args[at + 1]
                : args.FirstOrDefault(a => a.StartsWith("--root=", StringComparison.Ordinal))?["--root=".Length..]
                    ?? Environment.GetEnvironmentVariable("KRYPTON_ROOT");
        return string.IsNullOrEmpty(given) ? null : Path.GetFullPath(given);
    }
}
