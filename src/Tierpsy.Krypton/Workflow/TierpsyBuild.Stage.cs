using Tierpsy.Krypton.Targets;

namespace Tierpsy.Krypton.Workflow;

public abstract partial class TierpsyBuild
{
    /// <summary>Copies the raw videos (--source) and AuxiliaryFiles/ to the cluster, checksummed and resumable.</summary>
    public virtual Target Stage => _ => _
        .Description("Copies the raw videos (--source) and AuxiliaryFiles/ to the cluster, checksummed and resumable")
        .Executes(NotImplementedYet(nameof(Stage)));
}
