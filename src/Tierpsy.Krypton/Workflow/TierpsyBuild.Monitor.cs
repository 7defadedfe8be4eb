using Tierpsy.Krypton.Targets;

namespace Tierpsy.Krypton.Workflow;

public abstract partial class TierpsyBuild
{
    /// <summary>Follows the submission until every task has ended.</summary>
    public virtual Target Monitor => _ => _
        .Description("Follows the submission until every task has ended")
        .After(Submit)
        .Executes(NotImplementedYet(nameof(Monitor)));
}
