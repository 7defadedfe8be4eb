using Tierpsy.Krypton.Workflow;

namespace Tierpsy.Krypton.Tool;

/// <summary>The workflow exactly as the library ships it, for projects whose build script need not be compiled.</summary>
internal sealed class ToolBuild : TierpsyBuild
{
    public static int Main()
    {
        var args = Environment.GetCommandLineArgs().Skip(1).ToList();
        var rootGiven = args.Contains("--root") || Environment.GetEnvironmentVariable("KRYPTON_ROOT") is { Length: > 0 };
        if (!rootGiven && !args.Any(a => a is "--help" or "-h" or "--version") && ProjectRoot.Find(Directory.GetCurrentDirectory()) is null)
        {
            Console.Error.WriteLine("error: no Tierpsy project here: neither this folder nor a folder above it has .krypton/. " +
                                    "Run dotnet tierpsy-krypton inside a project made with 'dotnet new tierpsy-krypton', or pass --root <project folder>.");
            return 2;
        }
        Environment.SetEnvironmentVariable("KRYPTON_COMMAND", "dotnet tierpsy-krypton");
        return Execute<ToolBuild>();
    }
}
