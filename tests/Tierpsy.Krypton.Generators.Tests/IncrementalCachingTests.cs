using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Tierpsy.Krypton.TestSupport;

namespace Tierpsy.Krypton.Generators.Tests;

/// <summary>
/// The generator redoes only what an edit touches: typing in C# files must not re-read parameter files.
/// </summary>
public class IncrementalCachingTests
{
    private static GeneratorDriverHarness TwoFiles()
    {
        var harness = new GeneratorDriverHarness();
        harness.SetParameterFile("a.json", Fixtures.Read("params/loopbio_rig_96WP_splitFOV_NN_20220310.json"));
        harness.SetParameterFile("b.json", "{ \"mask_min_area\": 50 }");
        harness.SetBuildParameters("{ \"Host\": \"krypton\" }");
        return harness;
    }

    private static IncrementalStepRunReason[] Reasons(GeneratorDriverRunResult run, string step) =>
        run.Results.Single().TrackedSteps[step].SelectMany(s => s.Outputs).Select(o => o.Reason).ToArray();

    [Fact]
    public void Editing_an_unrelated_source_file_reuses_every_parameter_file_step_and_the_generated_source()
    {
        var harness = TwoFiles();
        harness.Run();
        harness.Compilation = harness.Compilation.AddSyntaxTrees(
            CSharpSyntaxTree.ParseText(
                "static class Helper { static int X => 1; }",
                cancellationToken: TestContext.Current.CancellationToken
            )
        );

        var (run, _) = harness.Run();

        Assert.All(Reasons(run, TrackingNames.TierpsyFiles), r => Assert.Equal(IncrementalStepRunReason.Cached, r));
        Assert.All(Reasons(run, TrackingNames.TierpsyParams), r => Assert.Equal(IncrementalStepRunReason.Cached, r));
        Assert.All(Reasons(run, TrackingNames.BuildFiles), r => Assert.Equal(IncrementalStepRunReason.Cached, r));
        // The build's parameters are looked at again (the C# changed) but come out equal, so nothing downstream reruns.
        Assert.All(Reasons(run, TrackingNames.BuildParameters), r =>
            Assert.Contains(r, new[] { IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged })
        );
    }

    [Fact]
    public void Editing_one_parameter_file_rereads_that_file_only()
    {
        var harness = TwoFiles();
        harness.Run();
        harness.SetParameterFile("b.json", "{ \"mask_min_area\": 60 }");

        var (run, _) = harness.Run();

        var reasons = Reasons(run, TrackingNames.TierpsyFiles);
        Assert.Equal(1, reasons.Count(r => r == IncrementalStepRunReason.Modified));
        Assert.Equal(1, reasons.Count(r => r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged));
        Assert.Equal([IncrementalStepRunReason.Modified], Reasons(run, TrackingNames.TierpsyParams));
    }
}
