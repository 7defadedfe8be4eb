using Tierpsy.Krypton.Targets;

namespace Tierpsy.Krypton.Workflow;

public abstract partial class TierpsyBuild
{
    /// <summary>Deletes from the cluster only what is verified to be stored locally (--confirm).</summary>
    public virtual Target Clean => _ => _
        .Description("Deletes from the cluster only what is verified to be stored locally (--confirm)")
        .After(Retrieve)
        .Executes(NotImplementedYet(nameof(Clean)));
}
