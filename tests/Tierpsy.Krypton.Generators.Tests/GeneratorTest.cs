using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Testing;

namespace Tierpsy.Krypton.Generators.Tests;

/// <summary>
/// A project as the package's build props present it to the compiler: parameter files as AdditionalFiles with their
/// KryptonKind, the project root as KryptonRoot, and the real Tierpsy.Krypton assembly referenced.
/// </summary>
internal sealed class GeneratorTest : CSharpSourceGeneratorTest<TierpsyParamsGenerator, DefaultVerifier>
{
    public const string Root = "/project";

    private readonly List<(string Path, string Kind)> _kinds = [];

    public GeneratorTest()
    {
        ReferenceAssemblies = new ReferenceAssemblies(
            "net10.0",
            new PackageIdentity("Microsoft.NETCore.App.Ref", "10.0.12"),
            Path.Combine("ref", "net10.0")
        );
        TestState.AdditionalReferences.Add(typeof(global::Tierpsy.Krypton.Workflow.TierpsyBuild).Assembly);
        TestBehaviors = TestBehaviors.SkipGeneratedSourcesCheck;
        TestState.Sources.Add(("/project/build/Build.cs", BuildSource));
    }

    /// <summary>The scaffolded build script with one parameter of its own.</summary>
    public const string BuildSource = """
        using Tierpsy.Krypton.Targets;

        class Build : Tierpsy.Krypton.Workflow.TierpsyBuild
        {
            [Parameter("Plates imaged per day")] public int Plates { get; set; } = 6;
        }
        """;

    /// <summary>Adds a Tierpsy parameter file below AuxiliaryFiles/.</summary>
    public GeneratorTest WithParameterFile(string name, string json) =>
        With($"{Root}/AuxiliaryFiles/{name}", json, TierpsyParamsGenerator.TierpsyParametersKind);

    /// <summary>Adds .krypton/parameters.json (or a profile).</summary>
    public GeneratorTest WithBuildParameters(string json, string name = "parameters.json") =>
        With($"{Root}/.krypton/{name}", json, TierpsyParamsGenerator.BuildParametersKind);

    private GeneratorTest With(string path, string text, string kind)
    {
        TestState.AdditionalFiles.Add((path, text));
        _kinds.Add((path, kind));
        return this;
    }

    protected override Task RunImplAsync(CancellationToken cancellationToken)
    {
        var config =
            $"is_global = true\nbuild_property.KryptonRoot = {Root}\n"
            + string.Concat(
                _kinds.Select(k => $"\n[{k.Path}]\nbuild_metadata.AdditionalFiles.KryptonKind = {k.Kind}\n")
            );
        TestState.AnalyzerConfigFiles.Add(("/.globalconfig", config));
        return base.RunImplAsync(cancellationToken);
    }
}
