using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Tierpsy.Krypton.TestSupport;

namespace Tierpsy.Krypton.Generators.Tests;

/// <summary>
/// What the generator writes, approved as plain text, and that it compiles into what a build script uses.
/// </summary>
public class GeneratedSourceTests
{
    private static (GeneratorDriverRunResult Run, Compilation Output) RunWithBothCookiecutterFiles()
    {
        var harness = new GeneratorDriverHarness();
        harness.SetParameterFile(
            "loopbio_rig_96WP_splitFOV_NN_20220310.json",
            Fixtures.Read("params/loopbio_rig_96WP_splitFOV_NN_20220310.json")
        );
        harness.SetParameterFile(
            "loopbio_rig_96WP_splitFOV_NN_20200526.json",
            Fixtures.Read("params/loopbio_rig_96WP_splitFOV_NN_20200526.json")
        );
        return harness.Run();
    }

    [Fact]
    public void TierpsyParams_has_one_typed_property_per_parameter_file()
    {
        var (run, _) = RunWithBothCookiecutterFiles();
        var source = run.Results.Single().GeneratedSources.Single(s => s.HintName == "TierpsyParams.g.cs");
        Approvals.Verify(source.SourceText.ToString());
    }

    [Fact]
    public void The_parameter_schema_lists_every_parameter_of_the_build_with_its_type_and_description()
    {
        var (run, output) = RunWithBothCookiecutterFiles();
        var attribute = output
            .Assembly.GetAttributes()
            .Single(a =>
                a.AttributeClass?.Name == "AssemblyMetadataAttribute"
                && (string?)a.ConstructorArguments[0].Value == "Tierpsy.Krypton.ParameterSchema"
            );
        Approvals.Verify((string)attribute.ConstructorArguments[1].Value!);
        Assert.Contains(run.Results.Single().GeneratedSources, s => s.HintName == "KryptonParameterSchema.g.cs");
    }

    [Fact]
    public void A_build_script_refers_to_parameter_files_and_values_by_name_and_a_missing_file_breaks_the_build()
    {
        var (_, output) = RunWithBothCookiecutterFiles();
        const string use = """
            static class Use
            {
                public static string Path => TierpsyParams.LoopbioRig96WpSplitFovNn20220310.Path;
                public static long MinArea => TierpsyParams.LoopbioRig96WpSplitFovNn20220310.MaskMinArea;
                public static string Mapping => TierpsyParams.LoopbioRig96WpSplitFovNn20220310.MwpMapping;
                public static System.Collections.Generic.IReadOnlyList<string> Steps => TierpsyParams.LoopbioRig96WpSplitFovNn20220310.AnalysisCheckpoints;
            }
            """;
        var compiled = output.AddSyntaxTrees(
            CSharpSyntaxTree.ParseText(
                use,
                (CSharpParseOptions)output.SyntaxTrees.First().Options,
                cancellationToken: TestContext.Current.CancellationToken
            )
        );
        Assert.Empty(
            compiled
                .GetDiagnostics(TestContext.Current.CancellationToken)
                .Where(d => d.Severity == DiagnosticSeverity.Error)
        );

        var renamed = compiled.AddSyntaxTrees(
            CSharpSyntaxTree.ParseText(
                "static class Old { public static string P => TierpsyParams.LoopbioRig96WpSplitFovNn20210101.Path; }",
                cancellationToken: TestContext.Current.CancellationToken
            )
        );
        Assert.Contains(renamed.GetDiagnostics(TestContext.Current.CancellationToken), d =>
            d.Id == "CS0117"
            && d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)
                .Contains("LoopbioRig96WpSplitFovNn20210101", StringComparison.Ordinal)
        );
    }
}
