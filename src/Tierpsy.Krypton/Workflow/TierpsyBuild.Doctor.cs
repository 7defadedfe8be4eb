using System.Globalization;
using Tierpsy.Krypton.Remote;
using Tierpsy.Krypton.Schedulers;
using Tierpsy.Krypton.Targets;
using Tierpsy.Krypton.Text;
using Tierpsy.Krypton.Tierpsy;

namespace Tierpsy.Krypton.Workflow;

public abstract partial class TierpsyBuild
{
    /// <summary>
    /// Free space Doctor calls enough for a project (10 GiB): a Hydra plate's masked videos and results take a few GiB,
    /// and Tierpsy's Tmp/ holds a video's intermediate files on the same disk while it runs.
    /// </summary>
    private const long EnoughFreeSpace = 10L << 30;

    private sealed record DoctorCheck(string Name, bool Ok, string Detail);

    /// <summary>
    /// Checks the connection, the scheduler, Tierpsy, the parameter file and free space, and says how to fix what
    /// fails.
    /// </summary>
    public virtual Target Doctor =>
        _ =>
            _.Description(
                    "Checks SSH, the scheduler, tierpsy_process, the parameter file and free space; explains each fix"
                )
                .Before(Stage)
                .Executes(async ct =>
                {
                    var checks = new List<DoctorCheck>();
                    void Report(DoctorCheck check)
                    {
                        checks.Add(check);
                        Log.Plain($"{(check.Ok ? "ok  " : "FAIL")}  {check.Name}: {check.Detail}");
                    }

                    IRemote remote;
                    ProjectLayout layout;
                    try
                    {
                        remote = await ConnectAsync(ct);
                        layout = await LayoutAsync(ct);
                        Report(new("connection", true, $"{remote.Description}, host key known"));
                    }
                    catch (Exception e) when (e is RemoteException or InvalidOperationException)
                    {
                        Report(new("connection", false, e.Message));
                        throw new InvalidOperationException(
                            "Doctor: the cluster cannot be reached; fix the connection first (see above)."
                        );
                    }

                    string[] commands = Scheduler switch
                    {
                        SchedulerKind.Slurm => ["sbatch", "squeue", "scancel"],
                        SchedulerKind.Local => ["nproc", "xargs", "sha256sum"],
                        _ => ["qsub", "qstat", "qdel"],
                    };
                    // In the environment every later command has (the login shell's): found here means found by Submit.
                    var lookups = commands.Select(c => $"command -v {c} >/dev/null || echo \"missing {c}\"");
                    var found = await remote.RunAsync(string.Join("; ", lookups), CommandTimeouts.Small, ct);
                    Report(
                        found.Output.Contains("missing", StringComparison.Ordinal)
                            ? new(
                                "scheduler",
                                false,
                                $"{found.Output.Trim().Replace('\n', ',')} on {remote.Description}: is --scheduler "
                                    + $"{ParameterConverter.Format(Scheduler, "")} right for this cluster?"
                            )
                            : new("scheduler", true, $"{string.Join(", ", commands)} found")
                    );

                    var scheduler = SchedulerImplementation;
                    if (scheduler.ArrayCapCommand is { } capCommand)
                    {
                        var cap = await remote.RunAsync(capCommand, CommandTimeouts.Small, ct);
                        Report(
                            cap.ExitCode == 0
                                ? new(
                                    "array size",
                                    true,
                                    $"at most {ArrayCapText(scheduler.ParseArrayCap(cap.Output))} tasks per array "
                                        + "(larger lists are split)"
                                )
                                : new(
                                    "array size",
                                    false,
                                    $"'{capCommand}' failed: {cap.All.Trim()}. Set --max-array-size to the site's "
                                        + $"limit."
                                )
                        );
                        if (scheduler is PbsProScheduler && cap.ExitCode == 0)
                            Report(
                                new(
                                    "job history",
                                    true,
                                    PbsProScheduler.JobHistory(cap.Output)
                                        ? "on: qstat -x shows finished tasks, so Verify can say why PBS killed one "
                                            + "(walltime, memory)"
                                        : "off (OpenPBS's default): finished tasks vanish from qstat at once, so "
                                            + "their logs alone "
                                            + "tell how they ended, and a killed task's cause is unknown. "
                                            + "Fine to run; for better reasons ask the "
                                            + "admins for 'qmgr -c \"set server job_history_enable = True\"'."
                                )
                            );
                    }

                    var tierpsy = await FindTierpsyAsync(remote, TierpsySetup, ct);
                    Report(
                        tierpsy is not null
                            ? new("tierpsy_process", true, tierpsy)
                            : new(
                                "tierpsy_process",
                                false,
                                "not found after the TierpsySetup lines. To install Tierpsy on the cluster, run "
                                    + "./build.sh Setup. If it is installed, fix \"TierpsySetup\" in "
                                    + ".krypton/parameters.json (for example 'module load Anaconda3' and 'source "
                                    + "activate tierpsy')."
                            )
                    );

                    try
                    {
                        var json = CheckParamsFile();
                        var probe = RemotePath.Combine(layout.Workspace, $"doctor-{Guid.NewGuid():N}");
                        var remoteJson = RemotePath.Combine(probe, json.Name);
                        await remote.WriteTextAsync(remoteJson, await File.ReadAllTextAsync(json, ct), ct);
                        // An empty video folder: Tierpsy crashes on a missing one (FileNotFoundError) and lists none in
                        // it.
                        var videos = RemotePath.Combine(probe, "RawVideos");
                        var probing = ListingRun.Command(
                            new ListingOptions
                            {
                                VideoRoot = videos,
                                MaskRoot = RemotePath.Combine(probe, "MaskedVideos"),
                                ResultsRoot = RemotePath.Combine(probe, "Results"),
                                TmpRoot = RemotePath.Combine(probe, "Tmp"),
                                JsonFile = remoteJson,
                                Pattern = Pattern,
                            },
                            TierpsySetup
                        );
                        var listing = await remote.RunAsync(
                            $"mkdir -p {ShellQuote.Path(videos)} && {probing}; status=$?; "
                                + $"rm -rf -- {ShellQuote.Path(probe)}; exit $status",
                            CommandTimeouts.Scan,
                            ct
                        );
                        try
                        {
                            ListingParser.Parse(listing.Output, listing.Error, listing.ExitCode);
                            Report(new("parameter file", true, $"{json.Name} accepted"));
                        }
                        catch (ListingException e) when (e.Reason == ListingFailure.NoVideoMatched)
                        {
                            Report(new("parameter file", true, $"{json.Name} accepted by the installed Tierpsy"));
                        }
                        catch (ListingException e)
                        {
                            Report(new("parameter file", false, e.Message));
                        }
                    }
                    catch (Exception e)
                        when (e is FileNotFoundException or InvalidDataException or InvalidOperationException)
                    {
                        Report(new("parameter file", false, e.Message));
                    }

                    var space = await remote.RunAsync(
                        $"mkdir -p {ShellQuote.Path(layout.Root)} && {FreeSpace.Command(layout.Root)}",
                        CommandTimeouts.Small,
                        ct
                    );
                    if (FreeSpace.Parse(space) is { } free)
                        Report(
                            free >= EnoughFreeSpace
                                ? new(
                                    "free space",
                                    true,
                                    $"{free >> 30} GiB free for {layout.Root} (also Tierpsy's Tmp/)"
                                )
                                : new(
                                    "free space",
                                    false,
                                    $"only {free >> 20} MiB free for {layout.Root}: Tierpsy needs room for masked "
                                        + $"videos and results; free space or choose another --remote-root."
                                )
                        );
                    else
                        Report(
                            new(
                                "free space",
                                false,
                                $"could not read the free space of {layout.Root}: {space.All.Trim()}"
                            )
                        );

                    var failed = checks.Where(c => !c.Ok).Select(c => c.Name).ToList();
                    if (failed.Count > 0)
                        throw new InvalidOperationException(
                            $"Doctor found {failed.Count} problem(s): {string.Join(", ", failed)}. Each line above "
                                + $"says how to fix it."
                        );
                    Log.Success("Doctor: everything needed to run Tierpsy on the cluster is in place.");
                });

    /// <summary>A site's array cap as Doctor prints it: the number, or "unlimited".</summary>
    private static string ArrayCapText(int? cap) => cap?.ToString(CultureInfo.InvariantCulture) ?? "unlimited";
}
