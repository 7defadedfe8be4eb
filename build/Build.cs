using Tierpsy.Krypton.Targets;

namespace KryptonTemplates.Build;

/// <summary>The repository's build: ./build.sh Test runs every test; ./build.sh Install packs and installs for this user.</summary>
internal sealed class Build : BuildBase
{
    public static int Main() => Execute<Build>(x => x.Test);

    [Parameter("Build configuration")] readonly Configuration Configuration = Configuration.Release;

    [Parameter("Version of the packages (--package-version; --version is left to the usual meaning)")]
    readonly string PackageVersion = "0.1.0";

    [Parameter("Folder the packages are installed into as a local NuGet source (generated projects restore from it)")]
    readonly AbsolutePath? LocalFeed;

    AbsolutePath Solution => RootDirectory / "KryptonTemplates.sln";
    AbsolutePath Artifacts => RootDirectory / "artifacts";
    AbsolutePath PackagesDirectory => Artifacts / "packages";
    AbsolutePath Feed => LocalFeed ?? AbsolutePath.Create(LocalPackageFeed.DefaultPath());

    Target Clean => _ => _
        .Description("Deletes artifacts/ and the bin/ and obj/ folders of src/ and tests/")
        .Before(Restore)
        .Executes(() =>
        {
            var folders = new[] { "src", "tests", "templates" }
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

    Target Restore => _ => _
        .Description("Restores the NuGet packages of the solution")
        .Executes(ct => DotNet($"restore {Quote(Solution)}", ct));

    Target Compile => _ => _
        .Description("Builds the solution")
        .DependsOn(Restore)
        .Executes(ct => DotNet(
            $"build {Quote(Solution)} --no-restore -c {Configuration} -p:Version={PackageVersion}", ct));

    Target Test => _ => _
        .Description("Runs every test project and prints the totals")
        .DependsOn(Compile)
        .Executes(async ct =>
        {
            var result = await Processes.RunAsync("dotnet", $"test --solution {Quote(Solution)} --no-build -c {Configuration}", RootDirectory, Log, ct);
            var totals = TestTotals.Parse(result.Output);
            Log.Plain(totals is null ? "no test totals found in the output of dotnet test" : $"{totals.Passed} passed, {totals.Failed} failed, {totals.Skipped} skipped");
            if (result.ExitCode != 0 || totals is null || totals.Failed > 0)
                throw new InvalidOperationException($"dotnet test exited with {result.ExitCode}; see the failures above.");
        });

    Target Pack => _ => _
        .Description("Packs the library, template pack and tool into artifacts/packages")
        .DependsOn(Compile)
        .Executes(async ct =>
        {
            if (Directory.Exists(PackagesDirectory)) Directory.Delete(PackagesDirectory, recursive: true);
            await DotNet($"pack {Quote(Solution)} --no-build -c {Configuration} -p:Version={PackageVersion} " +
                         $"-o {Quote(PackagesDirectory)}", ct);
            foreach (var package in Directory.GetFiles(PackagesDirectory, "*.nupkg").Order())
                Log.Info($"packed {Path.GetFileName(package)}");
        });

    Target Install => _ => _
        .Description("Installs the template pack and the tierpsy-krypton tool for this user; copies the packages to the local feed")
        .DependsOn(Pack)
        .Executes(async ct =>
        {
            Directory.CreateDirectory(Feed);
            foreach (var package in Directory.GetFiles(PackagesDirectory, "*.nupkg"))
            {
                File.Copy(package, Feed / Path.GetFileName(package), overwrite: true);
                ForgetCachedCopy(Path.GetFileNameWithoutExtension(package));
            }
            Log.Info($"Copied the packages to {Feed}; generated projects restore Tierpsy.Krypton from there (set KRYPTON_PACKAGES to use another folder).");
            await UninstallTemplatePacksAsync(ct);
            var templatePack = PackagesDirectory / $"Tierpsy.Krypton.Templates.{PackageVersion}.nupkg";
            await DotNet($"new install {Quote(templatePack)}", ct);

            // Reinstall the tool, so a rebuilt package of the same version replaces the old one.
            var installed = await Processes.RunAsync("dotnet", "tool list --global", RootDirectory, Log, ct, echo: false);
            if (installed.Output.Contains("tierpsy.krypton.tool", StringComparison.OrdinalIgnoreCase))
                await DotNet("tool uninstall --global Tierpsy.Krypton.Tool", ct);
            await DotNet($"tool install --global Tierpsy.Krypton.Tool --version {PackageVersion} " +
                         $"--add-source {Quote(PackagesDirectory)}", ct);
            Log.Success("Installed: dotnet new tierpsy-krypton, and the command tierpsy-krypton (~/.dotnet/tools).");
        });

    /// <summary>
    /// Removes every earlier install of the template pack: installing the same pack again (even with --force) left two
    /// packs of one identity, and dotnet new then crashed with "Sequence contains more than one matching element".
    /// </summary>
    async Task UninstallTemplatePacksAsync(CancellationToken ct)
    {
        const int MostInstalls = 10; // each uninstall removes one; more than this means something else is wrong
        for (var i = 0; i < MostInstalls; i++)
        {
            var removed = await Processes.RunAsync("dotnet", "new uninstall Tierpsy.Krypton.Templates", RootDirectory,
                Log, ct, echo: false);
            if (removed.ExitCode != 0) return;
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
        if (!Directory.Exists(cached)) return;
        Directory.Delete(cached, recursive: true);
        Log.Info($"Removed the cached {id} {PackageVersion} from {cache}, so projects restore the new build.");
    }

    Target Benchmark => _ => _
        .Description("Times Stage and Retrieve beside rsync on the loopback test cluster; writes docs/benchmarks.md")
        .DependsOn(Compile)
        .Executes(ct => DotNet($"run --project {Quote(RootDirectory / "tests" / "Tierpsy.Krypton.Benchmarks")} --no-build -c {Configuration} -- {Quote(RootDirectory / "docs" / "benchmarks.md")}", ct));

    Task DotNet(string arguments, CancellationToken ct) => Processes.RunCheckedAsync("dotnet", arguments, RootDirectory, Log, ct);

    static string Quote(string path) => $"\"{path}\"";
}

/// <summary>Debug or Release.</summary>
internal enum Configuration { Debug, Release }
