using Tierpsy.Krypton.Targets;
using Tierpsy.Krypton.TestSupport;

namespace Tierpsy.Krypton.Tests.Targets;

/// <summary>The outcome of one in-process build run.</summary>
internal sealed record BuildRun<T>(int ExitCode, string Output, string Error, T Build)
{
    public string All => Output + Error;
}

/// <summary>Runs a build class in-process with a chosen command line, environment and project folder.</summary>
internal static class BuildHarness
{
    public static BuildRun<T> Run<T>(
        string[] args,
        IReadOnlyDictionary<string, string>? environment = null,
        string? root = null,
        T? build = null,
        Func<T, Target>[]? defaults = null,
        Spectre.Console.IAnsiConsole? terminal = null
    )
        where T : BuildBase, new() =>
        RunCancellable(args, TestContext.Current.CancellationToken, environment, root, build, defaults, terminal);

    public static BuildRun<T> RunCancellable<T>(
        string[] args,
        CancellationToken cancellation,
        IReadOnlyDictionary<string, string>? environment = null,
        string? root = null,
        T? build = null,
        Func<T, Target>[]? defaults = null,
        Spectre.Console.IAnsiConsole? terminal = null
    )
        where T : BuildBase, new()
    {
        using var temp = root is null ? new TempDirectory() : null;
        var output = new StringWriter();
        var error = new StringWriter();
        build ??= new T();
        var invocation = new BuildInvocation
        {
            Arguments = args,
            Environment = environment ?? new Dictionary<string, string>(),
            WorkingDirectory = root ?? temp!.Path,
            Output = output,
            Error = error,
            Cancellation = cancellation,
            Terminal = terminal,
        };
        var exit = BuildRunner.RunAsync(build, invocation, defaults ?? []).GetAwaiter().GetResult();
        return new BuildRun<T>(exit, output.ToString(), error.ToString(), build);
    }

    public static BuildRun<T> Run<T>(params string[] args)
        where T : BuildBase, new() => Run<T>(args, environment: null);
}
