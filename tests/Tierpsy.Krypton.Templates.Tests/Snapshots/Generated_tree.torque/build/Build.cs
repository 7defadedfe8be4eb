using Tierpsy.Krypton.Targets;
using Tierpsy.Krypton.Workflow;

/// <summary>
/// The Tierpsy workflow of demo. ./build.sh --help lists the targets and parameters; their values
/// come from .krypton/parameters.json, the environment (KRYPTON_HOST, ...) or the command line (--host ...).
/// </summary>
class Build : TierpsyBuild
{
    public static int Main() => Execute<Build>();

    // Change a step for this experiment by overriding its target; the base target still runs first.
    // For example, to note which parameter file every listing used:
    //
    // public override Target ListFiles => _ => base.ListFiles(_)
    //     .Executes(() => Log.Info($"Listed with {ParamsFile}"));
    //
    // The summarizer's options are parameters too (--time-windows, --filter-length-min, ...). To fix one for this
    // experiment in code, where it has the last word over the command line:
    //
    // protected override SummarizerSettings ConfigureSummarizer(SummarizerSettings s) =>
    //     s with { TimeWindows = "0:300,300:600" };
    //
    // The parameter files in AuxiliaryFiles/ are checked when this script compiles (a typo fails ./build.sh with its
    // line and column) and appear as TierpsyParams: TierpsyParams.All lists them, and each has a typed property, e.g.
    // TierpsyParams.LoopbioRig96WpSplitFovNn20220310.Path and .MaskMinArea; a renamed file breaks the build, not
    // the run.
}
