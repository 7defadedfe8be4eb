using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Tierpsy.Krypton.Generators.Tests;

/// <summary>
/// [Parameter] fields are assigned by reflection: the compiler's "never assigned/used" warnings go, others stay.
/// </summary>
public class ParameterFieldSuppressorTests
{
    [Fact]
    public async Task Never_assigned_warnings_are_suppressed_for_parameter_fields_only()
    {
        const string source = """
            using Tierpsy.Krypton.Targets;

            class Build : Tierpsy.Krypton.Workflow.TierpsyBuild
            {
                [Parameter("Plates per day")] readonly int Plates;
                [Parameter("Unused")] int Unused;
                readonly int NotAParameter;
                public int Sum => Plates + NotAParameter;
            }
            """;
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator)
            .Append(typeof(global::Tierpsy.Krypton.Workflow.TierpsyBuild).Assembly.Location)
            .Select(p => MetadataReference.CreateFromFile(p));
        var compilation = CSharpCompilation.Create(
            "Build",
            [CSharpSyntaxTree.ParseText(source, cancellationToken: TestContext.Current.CancellationToken)],
            references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary)
        );

        var diagnostics = await compilation
            .WithAnalyzers(
                [new ParameterFieldSuppressor()],
                new CompilationWithAnalyzersOptions(
                    new AnalyzerOptions([]),
                    onAnalyzerException: null,
                    concurrentAnalysis: false,
                    logAnalyzerExecutionTime: false,
                    reportSuppressedDiagnostics: true
                )
            )
            .GetAllDiagnosticsAsync(TestContext.Current.CancellationToken);

        var warnings = diagnostics.Where(d => d.Id is "CS0649" or "CS0169").ToList();
        Assert.Equal(3, warnings.Count);
        Assert.Contains(warnings, d =>
            d.IsSuppressed
            && d.Id == "CS0649"
            && d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)
                .Contains("Build.Plates", StringComparison.Ordinal)
        );
        Assert.Contains(warnings, d =>
            d.IsSuppressed
            && d.Id == "CS0169"
            && d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)
                .Contains("Build.Unused", StringComparison.Ordinal)
        );
        Assert.Contains(warnings, d =>
            !d.IsSuppressed
            && d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)
                .Contains("Build.NotAParameter", StringComparison.Ordinal)
        );
    }
}
