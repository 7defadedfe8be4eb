using System.Diagnostics.CodeAnalysis;
using Tierpsy.Krypton.Schedulers;
using Tierpsy.Krypton.Targets;

namespace Tierpsy.Krypton.Workflow;

/// <summary>
/// The Tierpsy-on-a-cluster workflow as eight targets: Stage, ListFiles, Submit, Monitor, Verify, Summarize,
/// Retrieve, Clean. A scaffolded project's <c>build/Build.cs</c> derives from it and may override any target.
/// </summary>
[SuppressMessage(
    "Design",
    "CA1001",
    Justification = "The build runner ends every run with OnBuildFinishedAsync, which disposes the connection."
)]
public abstract partial class TierpsyBuild : BuildBase
{
    /// <summary>Cluster login host (a Host of ~/.ssh/config works too).</summary>
    [Parameter("Cluster login host (a Host from ~/.ssh/config works); not needed with --scheduler local")]
    public string? Host { get; set; }

    /// <summary>User name on the cluster.</summary>
    [Parameter("User name on the cluster")]
    public string? User { get; set; }

    /// <summary>SSH port of the login host.</summary>
    [Parameter("SSH port of the login host", Minimum = 1, Maximum = 65535)]
    public int Port { get; set; } = 22;

    /// <summary>The batch system that runs the array jobs.</summary>
    [Parameter("Batch system on the cluster")]
    public SchedulerKind Scheduler { get; set; } = SchedulerKind.PbsPro;

    /// <summary>The project folder on the cluster (RawVideos, MaskedVideos, Results, AuxiliaryFiles).</summary>
    [Parameter("Project folder on the cluster")]
    public string RemoteRoot { get; set; } = "~/tierpsy_project";

    /// <summary>Queue (PBS Pro, Torque) or partition (SLURM); empty for the site's default.</summary>
    [Parameter("Queue (PBS Pro, Torque) or partition (SLURM); empty for the default")]
    public string? Queue { get; set; }

    /// <summary>Walltime of one array task.</summary>
    [Parameter("Walltime of one task", Minimum = 60)]
    public TimeSpan Walltime { get; set; } = TimeSpan.FromHours(30);

    /// <summary>CPUs requested per array task.</summary>
    [Parameter("CPUs per task", Minimum = 1)]
    public int Cpus { get; set; } = 1;

    /// <summary>Memory per task as the scheduler writes it (<c>16gb</c>); empty requests none.</summary>
    [Parameter("Memory per task as the scheduler writes it (16gb); empty to request none")]
    public string? Memory { get; set; }

    /// <summary>Shell lines that make <c>tierpsy_process</c> available on a compute node.</summary>
    [Parameter("Shell lines that make tierpsy_process available on a compute node")]
    public string[] TierpsySetup { get; set; } = ["module load Anaconda3", "source activate tierpsy"];

    /// <summary>File name pattern of the videos (<c>*.yaml</c> selects Hydra imgstores).</summary>
    [Parameter("File name pattern of the videos (*.yaml for Hydra imgstores)")]
    public string Pattern { get; set; } = "*.yaml";

    /// <summary>The Tierpsy parameter file, usually in AuxiliaryFiles/.</summary>
    [Parameter("Tierpsy parameter file (JSON), usually in AuxiliaryFiles/")]
    public AbsolutePath? ParamsFile { get; set; }
}
