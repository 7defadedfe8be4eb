using System.Text.Json;
using Tierpsy.Krypton.Remote;
using Tierpsy.Krypton.Targets;
using Tierpsy.Krypton.Text;
using Tierpsy.Krypton.Tierpsy;
using Tierpsy.Krypton.Transfer;

namespace Tierpsy.Krypton.Workflow;

public abstract partial class TierpsyBuild
{
    /// <summary>Setup: the environment Tierpsy is installed into (a conda name, or a venv folder name).</summary>
    [Parameter("Setup: the environment Tierpsy is installed into (a conda name, or a venv folder name)")]
    public string TierpsyEnvironment { get; set; } = "tierpsy";

    /// <summary>Setup: conda, or venv where the cluster has no conda.</summary>
    [Parameter("Setup: conda, or venv where the cluster has no conda")]
    public EnvironmentManager EnvironmentManager { get; set; } = EnvironmentManager.Conda;

    /// <summary>
    /// Setup: lines that load conda or Python on the login node; by default TierpsySetup's lines that activate no
    /// environment (its <c>module</c> lines).
    /// </summary>
    [Parameter("Setup: lines that load conda or Python on the cluster (default: TierpsySetup's lines before activate)")]
    public string[]? SetupModules { get; set; }

    /// <summary>Setup: the git repository Tierpsy Tracker is cloned from.</summary>
    [Parameter("Setup: the git repository Tierpsy Tracker is cloned from")]
    public string TierpsyRepository { get; set; } = TierpsyInstallation.UpstreamRepository;

    /// <summary>Setup: the commit or tag installed (ca1a4c5 is Tierpsy 1.5.3a).</summary>
    [Parameter("Setup: the commit or tag installed (ca1a4c5 is Tierpsy 1.5.3a)")]
    public string TierpsyRef { get; set; } = TierpsyInstallation.PinnedRef;

    /// <summary>Setup: a local copy of Tierpsy's source to upload instead of cloning (no internet).</summary>
    [Parameter("Setup: a local copy of Tierpsy's source to upload instead of cloning (clusters without internet)")]
    public AbsolutePath? TierpsySource { get; set; }

    /// <summary>Setup: the cluster folder that gets tierpsy-tracker/ (the source) and .virtualenvs/.</summary>
    [Parameter("Setup: the cluster folder that gets tierpsy-tracker/ (the source) and .virtualenvs/")]
    public string SetupRoot { get; set; } = "~";

    /// <summary>
    /// Installs Tierpsy on the cluster the first time (the manual's steps), or says that it already runs.
    /// </summary>
    public virtual Target Setup =>
        _ =>
            _.Description("Installs Tierpsy on the cluster (conda or venv), or says that it already runs")
                .Before(Doctor)
                .Executes(async ct =>
                {
                    var remote = await ConnectAsync(ct);
                    if (!IsDryRun && await FindTierpsyAsync(remote, TierpsySetup, ct) is { } found)
                    {
                        Log.Success(
                            $"tierpsy_process already runs after the TierpsySetup lines: {found}. Nothing to set up."
                        );
                        return;
                    }
                    var options = await InstallOptionsAsync(remote, ct);
                    await CopyRequirementsAsync(remote, options, ct);
                    if (TierpsySource is { } source)
                        await UploadTierpsySourceAsync(remote, source, options, ct);
                    Directory.CreateDirectory(State.Folder);
                    var logFile = State.Folder / "setup.log";
                    await new InstallRun(remote, Log, logFile).RunAsync(TierpsyInstallation.Steps(options), ct);
                    if (!IsDryRun)
                        await CheckSetupLinesAsync(remote, options, ct);
                });

    /// <summary>Where and what Setup installs, with the cluster's home put in for <c>~</c>.</summary>
    private async Task<InstallOptions> InstallOptionsAsync(IRemote remote, CancellationToken ct)
    {
        var root = RemotePath.Expand(SetupRoot.TrimEnd('/'), await remote.HomeAsync(ct));
        var modules = SetupModules ?? TierpsySetup.Where(l => !TierpsyInstallation.Activates(l)).ToArray();
        return new InstallOptions(
            EnvironmentManager,
            TierpsyEnvironment,
            modules,
            RemotePath.Combine(root, "tierpsy-tracker"),
            TierpsySource is null ? TierpsyRepository : null,
            TierpsyRef,
            RemotePath.Combine(root, "tierpsy-tracker-setup", Path.GetFileName(RequirementsFile)),
            RemotePath.Combine(root, ".virtualenvs")
        );
    }

    private AbsolutePath RequirementsFile => RootDirectory / TierpsyInstallation.RequirementsFile(EnvironmentManager);

    /// <summary>Copies the project's environment (or requirements) file to the cluster.</summary>
    private async Task CopyRequirementsAsync(IRemote remote, InstallOptions options, CancellationToken ct)
    {
        if (!File.Exists(RequirementsFile))
            throw new FileNotFoundException(
                $"Setup needs {RequirementsFile}, which the project template ships, and it is missing. Copy it from "
                    + "a newly made project (dotnet new tierpsy-krypton) and run Setup again.",
                RequirementsFile
            );
        await remote.WriteTextAsync(options.Requirements, await File.ReadAllTextAsync(RequirementsFile, ct), ct);
    }

    /// <summary>Uploads a local copy of Tierpsy's source with Stage's checksummed copy (no .git, no caches).</summary>
    private async Task UploadTierpsySourceAsync(
        IRemote remote,
        AbsolutePath source,
        InstallOptions options,
        CancellationToken ct
    )
    {
        if (!File.Exists(source / "setup.py"))
            throw new ArgumentException(
                $"--tierpsy-source {source} has no setup.py, so it is not Tierpsy Tracker's source folder. Give the "
                    + "folder of a clone (the one with setup.py and tierpsy/). Nothing was copied."
            );
        var root = RemotePath.Parent(options.SourceFolder);
        var folder = Path.GetFileName(options.SourceFolder);
        var items = Directory
            .EnumerateFiles(source, "*", SearchOption.AllDirectories)
            .Select(f => (Local: f, Relative: Path.GetRelativePath(source, f).Replace('\\', '/')))
            .Where(f => !f.Relative.Split('/').Any(p => p is ".git" or "__pycache__" or "build"))
            .Select(f => new UploadItem(f.Local, $"{folder}/{f.Relative}"))
            .ToList();
        var manifest = Manifest.Load(State.Folder / "setup-manifest.json");
        var report = await new Uploader(remote, root, manifest, new BuildTransferLog(Log), Transfers)
        {
            Replace = true,
        }.RunAsync(items, [folder], ct);
        if (report.Failed.Count > 0)
            throw new IOException(
                $"{report.Failed.Count} files of Tierpsy's source were not copied:\n  "
                    + string.Join("\n  ", report.Failed)
            );
        Log.Info(
            $"copied Tierpsy's source to {options.SourceFolder}: {report.Uploaded} files, {report.Skipped} as they were"
        );
    }

    /// <summary>Where tierpsy_process is and Tierpsy's version after the lines; null when it is not found.</summary>
    private static async Task<string?> FindTierpsyAsync(IRemote remote, IEnumerable<string> lines, CancellationToken ct)
    {
        var found = await remote.RunAsync(TierpsyInstallation.CheckCommand(lines), CommandTimeouts.Query, ct);
        var output = found.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return found.ExitCode == 0 && output.Length >= 1
            ? output[0] + (output.Length > 1 ? $", Tierpsy {output[^1]}" : "")
            : null;
    }

    /// <summary>Checks that the TierpsySetup lines find what Setup installed, and says what to set when not.</summary>
    private async Task CheckSetupLinesAsync(IRemote remote, InstallOptions options, CancellationToken ct)
    {
        if (await FindTierpsyAsync(remote, TierpsySetup, ct) is { } found)
        {
            Log.Success($"Tierpsy is set up: {found}. Run Doctor next.");
            return;
        }
        var activation = TierpsyInstallation.ActivationLines(options);
        if (await FindTierpsyAsync(remote, activation, ct) is not { } installed)
            throw new InvalidOperationException(
                "Setup ran every step, but tierpsy_process is still not found in the environment. Read "
                    + $"{State.Folder / "setup.log"} for what pip installed."
            );
        var json = string.Join(", ", activation.Select(l => JsonSerializer.Serialize(l)));
        throw new InvalidOperationException(
            $"""
            Tierpsy is installed ({installed}), but the TierpsySetup lines do not make it available.
            Set "TierpsySetup" in .krypton/parameters.json to: [{json}]
            Then run Doctor.
            """
        );
    }
}
