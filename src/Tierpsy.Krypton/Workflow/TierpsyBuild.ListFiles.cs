using Tierpsy.Krypton.Targets;

namespace Tierpsy.Krypton.Workflow;

public abstract partial class TierpsyBuild
{
    /// <summary>Asks Tierpsy on the cluster which videos still need processing.</summary>
    public virtual Target ListFiles => _ => _
        .Description("Asks Tierpsy on the cluster which videos still need processing")
        .After(Stage)
        .Executes(NotImplementedYet(nameof(ListFiles)));
}
