using Tierpsy.Krypton.Targets;

namespace KryptonTemplates.Build;

/// <summary>
/// The repository's build: ./build.sh Test runs every test; ./build.sh Install packs and installs for this user.
/// </summary>
internal sealed class Build : BuildBase
{
    public static int Main() => Execute<Build>(x => x.Test);

    [Parameter("Build configuration")]
    readonly Configuration Configuration = Configuration.Release;

    [Parameter("Version of the packages (--package-version; --version is left to the usual meaning)")]
    readonly string PackageVersion = "0.1.0";

    [Parameter("Folder the packages are installed into as a local NuGet source (generated projects restore from it)")]
    readonly AbsolutePath? LocalFeed;

    /// <summary>The folders whose bin/ and obj/ Clean deletes.</summary>
    static readonly string[] SourceFolders = ["src", "tests", "templates"];

    AbsolutePath Solution => RootDirectory / "KryptonTemplates.sln";
    AbsolutePath Artifacts => RootDirectory / "artifacts";

    [Parameter("Install: the folder of packages to install (default artifacts/packages, made by Pack)")]
    readonly AbsolutePath? Packages;

    AbsolutePath PackagesDirectory => Packages ?? Artifacts / "packages";
    AbsolutePath Feed => LocalFeed ?? AbsolutePath.Create(LocalPackageFeed.DefaultPath());

    Target Clean =>
        _ =>
            _.Description("Deletes artifacts/ and the bin/ and obj/ folders of src/ and tests/")
                .Before(Restore)
                .Executes(() =>
                {
                    var folders = SourceFolders
                        .Select(f => RootDirectory / f)
                        .Where(d => Directory.Exists(d))
                        .SelectMany(d => Directory.EnumerateDirectories(d, "*", SearchOption.AllDirectories))
                        .Where(d => Path.GetFileName(d) is "bin" or "obj")
                        .Append(Artifacts.ToString())
                        .Where(Directory.Exists)
                        .ToList();
                    foreach (var folder in folders)
                    {
                        Log.Verbose($"delete {folder}");
                        Directory.Delete(folder, recursive: true);
                    }
                    Log.Info($"Deleted {folders.Count} folders.");
                });

    Target Restore =>
        _ =>
            _.Description("Restores the NuGet packages of the solution")
                .Executes(ct => DotNet($"restore {Quote(Solution)}", ct));

    Target Compile =>
        _ =>
            _.Description("Builds the solution")
                .DependsOn(Restore)
                .Executes(ct =>
                    DotNet($"build {Quote(Solution)} --no-restore -c {Configuration} -p:Version={PackageVersion}", ct)
                );

    Target Test =>
        _ =>
            _.Description("Runs every test project and prints the totals")
                .DependsOn(Compile)
                .Executes(async ct =>
                {
                    var result = await Processes.RunAsync(
                        "dotnet",
                        $"test --solution {Quote(Solution)} --no-build -c {Configuration}",
                        RootDirectory,
                        Log,
                        ct
                    );
                    var totals = TestTotals.Parse(result.Output);
                    Log.Plain(
                        totals is null
                            ? "no test totals found in the output of dotnet test"
                            : $"{totals.Passed} passed, {totals.Failed} failed, {totals.Skipped} skipped"
                    );
                    if (result.ExitCode != 0 || totals is null || totals.Failed > 0)
                        throw new InvalidOperationException(
                            $"dotnet test exited with {result.ExitCode}; see the failures above."
                        );
                });

    Target Pack =>
        _ =>
            _.Description("Packs the library, template pack and tool into artifacts/packages")
                .DependsOn(Compile)
                .Executes(async ct =>
                {
                    if (Directory.Exists(PackagesDirectory))
                        Directory.Delete(PackagesDirectory, recursive: true);
                    await DotNet(
                        $"pack {Quote(Solution)} --no-build -c {Configuration} -p:Version={PackageVersion} "
                            + $"-o {Quote(PackagesDirectory)}",
                        ct
                    );
                    foreach (var package in Directory.GetFiles(PackagesDirectory, "*.nupkg").Order())
                        Log.Info($"packed {Path.GetFileName(package)}");
                });

    Target Install =>
        _ =>
            _.Description(
                    "Installs the template pack and the tierpsy-krypton tool for this user; copies the packages to "
                        + "the local feed"
                )
                .DependsOn(Pack)
                .Executes(async ct =>
                {
                    Directory.CreateDirectory(Feed);
                    foreach (var package in Directory.GetFiles(PackagesDirectory, "*.nupkg"))
                    {
                        File.Copy(package, Feed / Path.GetFileName(package), overwrite: true);
                        ForgetCachedCopy(Path.GetFileNameWithoutExtension(package));
                    }
                    Log.Info($"Copied the packages to {Feed} (set KRYPTON_PACKAGES to use another folder).");
                    await RegisterFeedAsync(ct);
                    await UninstallTemplatePacksAsync(ct);
                    var templatePack = PackagesDirectory / $"Tierpsy.Krypton.Templates.{PackageVersion}.nupkg";
                    await DotNet($"new install {Quote(templatePack)}", ct);

                    // Reinstall the tool, so a rebuilt package of the same version replaces the old one.
                    var installed = await Processes.RunAsync(
                        "dotnet",
                        "tool list --global",
                        RootDirectory,
                        Log,
                        ct,
                        echo: false
                    );
                    if (installed.Output.Contains("tierpsy.krypton.tool", StringComparison.OrdinalIgnoreCase))
                        await DotNet("tool uninstall --global Tierpsy.Krypton.Tool", ct);
                    await DotNet(
                        $"tool install --global Tierpsy.Krypton.Tool --version {PackageVersion} "
                            + $"--add-source {Quote(PackagesDirectory)}",
                        ct
                    );
                    Log.Success("Installed: dotnet new tierpsy-krypton, and the command tierpsy-krypton.");
                    SayWhereTheToolIs();
                });

    /// <summary>The NuGet source name under which Install registers the local feed for this user.</summary>
    const string FeedSourceName = "tierpsy-krypton";

    /// <summary>
    /// Registers the local feed as a NuGet source of this user (once; moved if the feed moved), so that a generated
    /// project's dotnet tool restore and its build script's restore find the packages with no source written by hand.
    /// </summary>
    async Task RegisterFeedAsync(CancellationToken ct)
    {
        var sources = await Processes.RunAsync(
            "dotnet",
            "nuget list source --format short",
            RootDirectory,
            Log,
            ct,
            echo: false
        );
        if (sources.Output.Split('\n').Any(l => l.Trim().EndsWith(" " + Feed, StringComparison.Ordinal)))
            return;
        var verb = (
            await Processes.RunAsync("dotnet", "nuget list source", RootDirectory, Log, ct, echo: false)
        ).Output.Contains($" {FeedSourceName} [", StringComparison.Ordinal)
            ? "update"
            : "add";
        await DotNet($"nuget {verb} source {Quote(Feed)} --name {FeedSourceName}", ct);
        Log.Info(
            $"Registered {Feed} as the NuGet source {FeedSourceName} of this user: generated projects restore "
                + "the tool and the package from it."
        );
    }

    /// <summary>
    /// Says where the global tool is and, when that folder is not on PATH, the line that puts it there.
    /// </summary>
    void SayWhereTheToolIs()
    {
        var home = Environment.GetEnvironmentVariable("DOTNET_CLI_HOME") is { Length: > 0 } cli
            ? cli
            : Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        var tools = Path.Combine(home, ".dotnet", "tools");
        var path = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator);
        if (path.Any(p => Path.TrimEndingDirectorySeparator(p) == tools))
        {
            Log.Info($"tierpsy-krypton is in {tools}, which is on PATH: run tierpsy-krypton --version.");
            return;
        }
        Log.Warning(
            $"""
            tierpsy-krypton is in {tools}, which is not on PATH. Add it for this shell with
              export PATH="$PATH:{tools}"
            and put that line in ~/.bashrc (or ~/.zshrc) to keep it. Inside a generated project,
            dotnet tierpsy-krypton works without it.
            """
        );
    }

    /// <summary>
    /// Removes every earlier install of the template pack: installing the same pack again (even with --force) left two
    /// packs of one identity, and dotnet new then crashed with "Sequence contains more than one matching element".
    /// </summary>
    async Task UninstallTemplatePacksAsync(CancellationToken ct)
    {
        const int MostInstalls = 10; // each uninstall removes one; more than this means something else is wrong
        for (var i = 0; i < MostInstalls; i++)
        {
            var removed = await Processes.RunAsync(
                "dotnet",
                "new uninstall Tierpsy.Krypton.Templates",
                RootDirectory,
                Log,
                ct,
                echo: false
            );
            if (removed.ExitCode != 0)
                return;
            Log.Info("Removed an earlier install of the template pack Tierpsy.Krypton.Templates.");
        }
    }

    /// <summary>
    /// NuGet never refreshes a version it has cached, so a reinstall of the same version would leave generated
    /// projects on the old build: remove our own package of that version from the global packages folder.
    /// </summary>
    void ForgetCachedCopy(string packageFileName)
    {
        var id = packageFileName[..^(PackageVersion.Length + 1)];
        var cache = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } custom
            ? custom
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var cached = Path.Combine(cache, id.ToLowerInvariant(), PackageVersion.ToLowerInvariant());
        if (!Directory.Exists(cached))
            return;
        Directory.Delete(cached, recursive: true);
        Log.Info($"Removed the cached {id} {PackageVersion} from {cache}, so projects restore the new build.");
    }

    Target Benchmark =>
        _ =>
            _.Description(
                    "Times Stage and Retrieve beside rsync on the loopback test cluster; writes docs/benchmarks.md"
                )
                .DependsOn(Compile)
                .Executes(ct =>
                    DotNet(
                        $"run --project {Quote(RootDirectory / "tests" / "Tierpsy.Krypton.Benchmarks")} --no-build -c "
                            + $"{Configuration} -- {Quote(RootDirectory / "docs" / "benchmarks.md")}",
                        ct
                    )
                );

    Target FaultBenchmark =>
        _ =>
            _.Description(
                    "Cuts the connection at random moments during Stage and Retrieve; writes docs/fault-benchmark.md"
                )
                .DependsOn(Compile)
                .Executes(ct =>
                    DotNet(
                        $"run --project {Quote(RootDirectory / "tests" / "Tierpsy.Krypton.Benchmarks")} "
                            + $"--no-build -c {Configuration} -- faults "
                            + $"{Quote(RootDirectory / "docs" / "fault-benchmark.md")}",
                        ct
                    )
                );

    Task DotNet(string arguments, CancellationToken ct) =>
        Processes.RunCheckedAsync("dotnet", arguments, RootDirectory, Log, ct);

    static string Quote(string path) => $"\"{path}\"";
}

/// <summary>Debug or Release.</summary>
internal enum Configuration
{
    Debug,
    Release,
}
