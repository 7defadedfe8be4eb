using Tierpsy.Krypton.Targets;

namespace Tierpsy.Krypton.Workflow;

public abstract partial class TierpsyBuild
{
    /// <summary>Submits one array job over the videos left to process.</summary>
    public virtual Target Submit => _ => _
        .Description("Submits one array job over the videos left to process")
        .DependsOn(ListFiles)
        .Executes(NotImplementedYet(nameof(Submit)));
}
