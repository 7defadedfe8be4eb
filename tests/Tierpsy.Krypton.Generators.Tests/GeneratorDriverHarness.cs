using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace Tierpsy.Krypton.Generators.Tests;

/// <summary>
/// Runs the generator with Roslyn's own driver on a compilation against this runtime's assemblies, keeping the driver
/// between runs so tests can see what the incremental pipeline cached.
/// </summary>
internal sealed class GeneratorDriverHarness
{
    private readonly Dictionary<string, (string Text, string Kind)> _files = new(StringComparer.Ordinal);
    private GeneratorDriver _driver;

    public GeneratorDriverHarness()
    {
        _driver = CSharpGeneratorDriver.Create(
            [new TierpsyParamsGenerator().AsSourceGenerator()],
            optionsProvider: new Options(_files),
            driverOptions: new GeneratorDriverOptions(
                IncrementalGeneratorOutputKind.None,
                trackIncrementalGeneratorSteps: true
            )
        );
        Compilation = CSharpCompilation.Create(
            "Build",
            [CSharpSyntaxTree.ParseText(GeneratorTest.BuildSource, path: "/project/build/Build.cs")],
            References(),
            new CSharpCompilationOptions(
                OutputKind.DynamicallyLinkedLibrary,
                nullableContextOptions: NullableContextOptions.Enable
            )
        );
    }

    public CSharpCompilation Compilation { get; set; }

    public void SetParameterFile(string name, string json) =>
        Set($"{GeneratorTest.Root}/AuxiliaryFiles/{name}", json, TierpsyParamsGenerator.TierpsyParametersKind);

    public void SetBuildParameters(string json) =>
        Set($"{GeneratorTest.Root}/.krypton/parameters.json", json, TierpsyParamsGenerator.BuildParametersKind);

    /// <summary>Only a changed file gets a new AdditionalText, as in an editor; the others keep theirs.</summary>
    private void Set(string path, string text, string kind)
    {
        _files[path] = (text, kind);
        _texts[path] = new InMemoryText(path, text);
        _changed = true;
    }

    private readonly Dictionary<string, AdditionalText> _texts = new(StringComparer.Ordinal);
    private bool _changed;

    /// <summary>
    /// Runs the generator (again) and returns the run and the compilation with the generated sources.
    /// </summary>
    public (GeneratorDriverRunResult Run, Compilation Output) Run()
    {
        if (_changed)
        {
            _driver = _driver.ReplaceAdditionalTexts(_texts.Values.ToImmutableArray());
            _changed = false;
        }
        _driver = _driver.RunGeneratorsAndUpdateCompilation(
            Compilation,
            out var output,
            out _,
            TestContext.Current.CancellationToken
        );
        return (_driver.GetRunResult(), output);
    }

    private static IEnumerable<MetadataReference> References() =>
        ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator)
            .Append(typeof(global::Tierpsy.Krypton.Workflow.TierpsyBuild).Assembly.Location)
            .Select(p => MetadataReference.CreateFromFile(p));

    private sealed class InMemoryText(string path, string text) : AdditionalText
    {
        private readonly SourceText _text = SourceText.From(text);
        public override string Path => path;

        public override SourceText GetText(CancellationToken cancellationToken = default) => _text;
    }

    private sealed class Options(Dictionary<string, (string Text, string Kind)> files) : AnalyzerConfigOptionsProvider
    {
        public override AnalyzerConfigOptions GlobalOptions { get; } =
            new Values(new() { ["build_property.KryptonRoot"] = GeneratorTest.Root });

        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => new Values([]);

        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) =>
            new Values(
                files.TryGetValue(textFile.Path, out var file)
                    ? new() { ["build_metadata.AdditionalFiles.KryptonKind"] = file.Kind }
                    : []
            );
    }

    private sealed class Values(Dictionary<string, string> values) : AnalyzerConfigOptions
    {
        public override bool TryGetValue(
            string key,
            [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? value
        ) => values.TryGetValue(key, out value);
    }
}
