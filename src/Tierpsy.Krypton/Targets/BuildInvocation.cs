using System.Collections;
using Spectre.Console;

namespace Tierpsy.Krypton.Targets;

/// <summary>Everything a build run reads from its process: arguments, environment, folders and console.</summary>
internal sealed record BuildInvocation
{
    public required IReadOnlyList<string> Arguments { get; init; }
    public required IReadOnlyDictionary<string, string> Environment { get; init; }
    public required string WorkingDirectory { get; init; }
    public required TextWriter Output { get; init; }
    public required TextWriter Error { get; init; }
    public bool UseColor { get; init; }

    /// <summary>
    /// The terminal the output goes to, for live views (Monitor); null when the output is piped, a file or a CI log.
    /// </summary>
    public IAnsiConsole? Terminal { get; init; }
    public CancellationToken Cancellation { get; init; }

    /// <summary>How the user starts the build, as help shows it.</summary>
    public string CommandName { get; init; } = "./build.sh";

    /// <summary>The invocation of the current process.</summary>
    public static BuildInvocation FromProcess(CancellationToken cancellation)
    {
        var environment = System
            .Environment.GetEnvironmentVariables()
            .Cast<DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => (string?)e.Value ?? "");
        // build.sh passes these to this build only: programs the build starts (another project's build, the tool)
        // must not inherit this project's root.
        System.Environment.SetEnvironmentVariable("KRYPTON_ROOT", null);
        System.Environment.SetEnvironmentVariable("KRYPTON_COMMAND", null);
        var color =
            !environment.ContainsKey("NO_COLOR")
            && !Console.IsOutputRedirected
            && environment.GetValueOrDefault("TERM") != "dumb";
        return new BuildInvocation
        {
            Arguments = System.Environment.GetCommandLineArgs().Skip(1).ToList(),
            Environment = environment,
            WorkingDirectory = Directory.GetCurrentDirectory(),
            Output = Console.Out,
            Error = Console.Error,
            UseColor = color,
            Terminal = TerminalOf(environment, Console.IsOutputRedirected, Console.Out),
            Cancellation = cancellation,
            CommandName = environment.GetValueOrDefault("KRYPTON_COMMAND")
                ?? (OperatingSystem.IsWindows() ? "build.cmd" : "./build.sh"),
        };
    }

    /// <summary>
    /// A Spectre.Console terminal when the output is one (not redirected, not <c>TERM=dumb</c>); without colours
    /// under <c>NO_COLOR</c>.
    /// </summary>
    internal static IAnsiConsole? TerminalOf(
        IReadOnlyDictionary<string, string> environment,
        bool redirected,
        TextWriter output
    ) =>
        redirected || environment.GetValueOrDefault("TERM") == "dumb"
            ? null
            : AnsiConsole.Create(
                new AnsiConsoleSettings
                {
                    Ansi = AnsiSupport.Detect,
                    ColorSystem = environment.ContainsKey("NO_COLOR")
                        ? ColorSystemSupport.NoColors
                        : ColorSystemSupport.Detect,
                    Interactive = InteractionSupport.Yes,
                    Out = new AnsiConsoleOutput(output),
                }
            );
}
