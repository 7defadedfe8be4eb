using Tierpsy.Krypton.Targets;

namespace Tierpsy.Krypton.Workflow;

public abstract partial class TierpsyBuild
{
    /// <summary>Lists again: succeeds when no video is left; --resubmit retries the failed ones.</summary>
    public virtual Target Verify => _ => _
        .Description("Lists again: succeeds when no video is left; --resubmit retries the failed ones")
        .After(Monitor)
        .Executes(NotImplementedYet(nameof(Verify)));
}
