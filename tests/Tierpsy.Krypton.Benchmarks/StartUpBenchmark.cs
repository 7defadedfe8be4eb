using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Tierpsy.Krypton.Benchmarks;

/// <summary>
/// Start-up: <c>./build.sh --help</c> and <c>dotnet tierpsy-krypton --help</c> in a project made with
/// <c>dotnet new tierpsy-krypton</c> from this repository's packages, its script compiled once before and nothing
/// changed since, against the compiled script run alone and against compiling and running it (what build.sh did
/// before it skipped the compile). Needs no cluster.
/// </summary>
internal static class StartUpBenchmark
{
    private const string Version = "0.1.0-bench";
    private const int Rounds = 9;
    private const string Tool = "tierpsy-krypton";
    private const string Dotnet = "dotnet";

    private static readonly string[] Packed =
    [
        "templates/Tierpsy.Krypton.Templates.csproj",
        "src/Tierpsy.Krypton/Tierpsy.Krypton.csproj",
        "src/Tierpsy.Krypton.Tool/Tierpsy.Krypton.Tool.csproj",
    ];

    /// <summary>One command a user types, and how it runs here.</summary>
    private sealed record Command(string Name, string Goal, string Program, params string[] Arguments);

    /// <summary>The section: what was measured, and a row per command.</summary>
    public static string Run(string work)
    {
        var project = Generate(Path.Combine(work, "startup"));
        var compiled = Path.Combine(project.Folder, "build", "bin", "Debug", "net10.0", "_build.dll");
        var csproj = Path.Combine(project.Folder, "build", "_build.csproj");
        Command[] commands =
        [
            new("`./build.sh --help`", "≤ 0.5 s", Path.Combine(project.Folder, "build.sh"), "--help"),
            new("`dotnet tierpsy-krypton --help`", "≤ 0.3 s", Dotnet, Tool, "--help"),
            new("the SDK starting the tool alone: `dotnet tierpsy-krypton --version`", "", Dotnet, Tool, "--version"),
            new("the compiled script alone: `dotnet build/bin/…/_build.dll --help`", "", Dotnet, compiled, "--help"),
            new(
                "reference: compiling and running, `dotnet build` (nothing to do) then `dotnet run --no-build`",
                "",
                "sh",
                "-c",
                $"dotnet build '{csproj}' -nologo -v q -clp:NoSummary /nodeReuse:false >/dev/null && "
                    + $"dotnet run --project '{csproj}' --no-build -- --help"
            ),
        ];
        var times = commands.ToDictionary(c => c, _ => new List<double>());
        for (var round = 0; round < Rounds; round++)
            foreach (
                var command in commands.Skip(round % commands.Length).Concat(commands.Take(round % commands.Length))
            )
                times[command].Add(Time(command, project));
        var text = new StringBuilder(
            string.Create(
                CultureInfo.InvariantCulture,
                $"""

                ## Start-up

                Each command in a project made with `dotnet new tierpsy-krypton` from this repository's packages, its
                build script compiled once before and nothing changed since (warm: the files in the page cache).
                {Rounds} rounds, each running every command once, the order turning from round to round; the median
                and the range of each command's runs. The tool is a second process before the compiled script: the
                SDK finds it in the project's tool manifest and starts it (the `--version` row, which runs nothing
                else), then it compares the script's inputs with the stamp build.sh and it share, and starts the
                compiled script.

                | command | median (s) | range (s) | goal |
                |---|---:|---:|---|

                """
            )
        );
        foreach (var command in commands)
        {
            var runs = times[command].Order().ToList();
            text.Append(
                CultureInfo.InvariantCulture,
                $"| {command.Name} | {runs[runs.Count / 2]:0.00} | {runs[0]:0.00}-{runs[^1]:0.00} | {command.Goal} |\n"
            );
        }
        return text.ToString();
    }

    /// <summary>A generated project, its packages and private caches, the tool restored, the script compiled.</summary>
    internal sealed record Project(string Folder, IReadOnlyDictionary<string, string?> Environment);

    private static readonly Dictionary<string, Project> Generated = [];

    /// <summary>The project generated in <paramref name="work"/>: made once per run of the benchmarks.</summary>
    internal static Project Generate(string work)
    {
        if (Generated.TryGetValue(work, out var made))
            return made;
        Directory.CreateDirectory(work);
        var repository = StatusBenchmark.RepositoryRoot();
        var feed = Path.Combine(work, "feed");
        var hive = Path.Combine(work, "hive");
        var folder = Path.Combine(work, "bench");
        var environment = new Dictionary<string, string?>
        {
            ["KRYPTON_PACKAGES"] = feed,
            ["NUGET_PACKAGES"] = Path.Combine(work, "nuget-packages"),
            ["DOTNET_CLI_HOME"] = Path.Combine(work, "cli-home"),
            // The project finds its own root, as when a user types the command in it.
            ["KRYPTON_ROOT"] = null,
            ["KRYPTON_COMMAND"] = null,
        };
        foreach (var csproj in Packed)
            Check(
                "dotnet",
                environment,
                work,
                "pack",
                Path.Combine(repository, csproj),
                "-o",
                feed,
                $"-p:Version={Version}",
                "--artifacts-path",
                Path.Combine(work, "artifacts")
            );
        var template = Path.Combine(feed, $"Tierpsy.Krypton.Templates.{Version}.nupkg");
        Check("dotnet", environment, work, "new", "install", template, "--debug:custom-hive", hive);
        string[] generate = ["new", "tierpsy-krypton", "-n", "bench", "-o", folder, "--debug:custom-hive", hive];
        Check("dotnet", environment, work, [.. generate, "--scheduler", "local"]);
        Check("dotnet", environment, folder, "tool", "restore", "--add-source", feed);
        Check(Path.Combine(folder, "build.sh"), environment, folder, "--help");
        return Generated[work] = new Project(folder, environment);
    }

    private static double Time(Command command, Project project)
    {
        var watch = Stopwatch.StartNew();
        Check(command.Program, project.Environment, project.Folder, command.Arguments);
        return watch.Elapsed.TotalSeconds;
    }

    /// <summary>Runs a program and returns what it printed; throws when it fails.</summary>
    internal static string Check(
        string program,
        IReadOnlyDictionary<string, string?> environment,
        string folder,
        params string[] arguments
    )
    {
        var run = TestSupport
            .ProcessRunner.RunAsync(program, arguments, folder, environment, TimeSpan.FromMinutes(10))
            .GetAwaiter()
            .GetResult();
        if (run.ExitCode != 0)
            throw new InvalidOperationException($"{program} {string.Join(" ", arguments)} failed: {run}");
        return run.All;
    }
}
