using Tierpsy.Krypton.Targets;

namespace Tierpsy.Krypton.Workflow;

public abstract partial class TierpsyBuild
{
    /// <summary>Copies Results/ (MaskedVideos/ with --masked) back and verifies every hash.</summary>
    public virtual Target Retrieve => _ => _
        .Description("Copies Results/ (MaskedVideos/ with --masked) back and verifies every hash")
        .After(Verify, Summarize)
        .Executes(NotImplementedYet(nameof(Retrieve)));
}
