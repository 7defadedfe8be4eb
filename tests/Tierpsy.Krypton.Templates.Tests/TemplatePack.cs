using Tierpsy.Krypton.TestSupport;

namespace Tierpsy.Krypton.Templates.Tests;

/// <summary>
/// Packs the template pack and the library once per test run into a local folder feed, and installs the pack in a
/// private template hive (--debug:custom-hive), so the user's own template store is never touched. Generated
/// projects restore with NUGET_PACKAGES and DOTNET_CLI_HOME pointing at private folders, so the user's package cache
/// and local tool cache are not touched either.
/// </summary>
public sealed class TemplatePack : IAsyncLifetime
{
    /// <summary>The version the tests pack with; snapshots name it.</summary>
    public const string Version = "0.1.0-test";

    private readonly TempDirectory _root = new("krypton-templates");

    public string Repository { get; } = ProcessRunner.RepositoryRoot();
    public string Feed => Path.Combine(_root.Path, "feed");
    public string Hive => Path.Combine(_root.Path, "hive");
    public string Work => Path.Combine(_root.Path, "work");
    public string NuGetCache => Path.Combine(_root.Path, "nuget-packages");

    /// <summary>Environment for running a generated project's build.sh against the fresh packages.</summary>
    public IReadOnlyDictionary<string, string?> ProjectEnvironment =>
        new Dictionary<string, string?>
        {
            ["KRYPTON_PACKAGES"] = Feed,
            ["NUGET_PACKAGES"] = NuGetCache,
            ["DOTNET_CLI_HOME"] = Path.Combine(_root.Path, "cli-home"), // the tool resolver cache lives here, not in ~/.dotnet
        };

    public async ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(Work);
        foreach (
            var project in new[]
            {
                "templates/Tierpsy.Krypton.Templates.csproj",
                "src/Tierpsy.Krypton/Tierpsy.Krypton.csproj",
                "src/Tierpsy.Krypton.Tool/Tierpsy.Krypton.Tool.csproj",
            }
        )
        {
            // A private artifacts path keeps this pack from touching the solution's own bin/ and obj/.
            var pack = await DotNet(
                [
                    "pack",
                    Path.Combine(Repository, project),
                    "-o",
                    Feed,
                    $"-p:Version={Version}",
                    "--artifacts-path",
                    Path.Combine(_root.Path, "artifacts"),
                ],
                Repository
            );
            Assert.True(pack.ExitCode == 0, $"dotnet pack {project} failed: {pack}");
        }
        var install = await DotNet(
            [
                "new",
                "install",
                Path.Combine(Feed, $"Tierpsy.Krypton.Templates.{Version}.nupkg"),
                "--debug:custom-hive",
                Hive,
            ],
            Work
        );
        Assert.True(install.ExitCode == 0, $"dotnet new install failed: {install}");
    }

    /// <summary>
    /// Runs <c>dotnet new tierpsy-krypton</c> in the private hive; returns the output folder and the result.
    /// </summary>
    public async Task<(string Folder, ProcessResult Result)> NewProjectAsync(string name, params string[] options)
    {
        var folder = Path.Combine(Work, $"{name}-{Guid.NewGuid():N}"[..(name.Length + 9)]);
        var result = await DotNet(
            ["new", "tierpsy-krypton", "-n", name, "-o", folder, "--debug:custom-hive", Hive, .. options],
            Work
        );
        return (folder, result);
    }

    public static Task<ProcessResult> DotNet(
        IEnumerable<string> arguments,
        string workingDirectory,
        IReadOnlyDictionary<string, string?>? environment = null
    ) =>
        ProcessRunner.RunAsync(
            "dotnet",
            arguments,
            workingDirectory,
            environment,
            TimeSpan.FromMinutes(5),
            TestContext.Current.CancellationToken
        );

    public ValueTask DisposeAsync()
    {
        _root.Dispose();
        return ValueTask.CompletedTask;
    }
}

[CollectionDefinition(nameof(TemplatePack))]
public sealed class TemplatePackShared : ICollectionFixture<TemplatePack>;
