using Tierpsy.Krypton.Targets;

namespace Tierpsy.Krypton.Workflow;

public abstract partial class TierpsyBuild
{
    /// <summary>Summarizes the features per imaging day and joins the days into one table.</summary>
    public virtual Target Summarize => _ => _
        .Description("Summarizes the features per imaging day and joins the days into one table")
        .After(Verify)
        .Executes(NotImplementedYet(nameof(Summarize)));
}
