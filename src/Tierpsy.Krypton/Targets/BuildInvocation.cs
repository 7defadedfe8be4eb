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
    public CancellationToken Cancellation { get; init; }

    /// <summary>How the user starts the build, as help shows it.</summary>
    public string CommandName { get; init; } = "./build.sh";

    /// <summary>The invocation of the current process.</summary>
    public static BuildInvocation FromProcess(CancellationToken cancellation)
    {
        var environment = System
            .Environment.GetEnvironmentVariables()
            .Cast<System.Collections.DictionaryEntry>()
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
            Cancellation = cancellation,
            CommandName = environment.GetValueOrDefault("KRYPTON_COMMAND")
                ?? (OperatingSystem.IsWindows() ? "build.cmd" : "./build.sh"),
        };
    }
}
