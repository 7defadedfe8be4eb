using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Tierpsy.Krypton.TestSupport;

namespace Tierpsy.Krypton.Tests;

/// <summary>
/// The library's folders are layers, each a namespace, and dependencies point one way (docs/ARCHITECTURE.md):
/// Targets ← Workflow → Tierpsy, Schedulers, Transfer → Remote → Text. The test resolves every name in the source
/// with Roslyn's semantic model and fails on a use of a layer the file's own layer may not use.
/// </summary>
public class LayeringTests
{
    /// <summary>What each layer may use besides itself.</summary>
    private static readonly Dictionary<string, string[]> Allowed = new()
    {
        ["Text"] = [],
        ["Targets"] = ["Text"],
        ["Remote"] = ["Text"],
        ["Tierpsy"] = ["Text"],
        ["Schedulers"] = ["Remote", "Text"],
        ["Transfer"] = ["Remote", "Text"],
        ["Reports"] = ["Text"],
        ["Workflow"] = ["Targets", "Tierpsy", "Schedulers", "Transfer", "Reports", "Remote", "Text"],
    };

    [Fact]
    public void Every_layer_uses_only_the_layers_below_it()
    {
        var source = Path.Combine(ProcessRunner.RepositoryRoot(), "src", "Tierpsy.Krypton");
        var compilation = Compile(source);
        var violations = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var tree in compilation.SyntaxTrees.Where(t => t.FilePath.Length > 0))
        {
            var layer = Path.GetRelativePath(source, tree.FilePath).Split(Path.DirectorySeparatorChar)[0];
            Assert.True(Allowed.ContainsKey(layer), $"{tree.FilePath} is in no known layer ({layer})");
            var model = compilation.GetSemanticModel(tree);
            var ct = TestContext.Current.CancellationToken;
            foreach (var name in tree.GetRoot(ct).DescendantNodes().OfType<SimpleNameSyntax>())
            {
                var info = model.GetSymbolInfo(name, ct);
                var symbol = info.Symbol ?? info.CandidateSymbols.FirstOrDefault();
                if (symbol is null or INamespaceSymbol)
                    continue;
                var used = LayerOf(symbol);
                if (used is null || used == layer || Allowed[layer].Contains(used))
                    continue;
                violations.Add($"{Path.GetRelativePath(source, tree.FilePath)} uses {used}.{symbol.Name}");
            }
        }

        Assert.True(violations.Count == 0, "Dependencies that go the wrong way:\n" + string.Join("\n", violations));
    }

    /// <summary>The layer a symbol of the library belongs to; null for anything else.</summary>
    private static string? LayerOf(ISymbol symbol)
    {
        var ns = (symbol as INamedTypeSymbol ?? symbol.ContainingType)?.ContainingNamespace?.ToDisplayString()
            ?? symbol.ContainingNamespace?.ToDisplayString();
        const string library = "Tierpsy.Krypton.";
        return ns is not null && ns.StartsWith(library, StringComparison.Ordinal)
            ? ns[library.Length..].Split('.')[0]
            : null;
    }

    private static readonly CSharpParseOptions Parse = new(LanguageVersion.Preview);

    private static CSharpCompilation Compile(string folder)
    {
        var trees = Directory
            .EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories)
            .Where(f =>
                !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains(
                    $"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}",
                    StringComparison.Ordinal
                )
            )
            .Select(f => CSharpSyntaxTree.ParseText(File.ReadAllText(f), Parse, f));
        var platform = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        var packages = Directory
            .GetFiles(AppContext.BaseDirectory, "*.dll")
            .Where(f => !Path.GetFileName(f).StartsWith("Tierpsy.Krypton", StringComparison.Ordinal));
        var references = platform
            .Concat(packages)
            .DistinctBy(Path.GetFileName)
            .Select(f => MetadataReference.CreateFromFile(f));
        var global = CSharpSyntaxTree.ParseText(
            options: Parse,
            text: """
            global using System; global using System.IO; global using System.Linq; global using System.Threading;
            global using System.Threading.Tasks; global using System.Collections.Generic; global using System.Net.Http;
            """
        );
        return CSharpCompilation.Create(
            "layers",
            trees.Append(global),
            references,
            new CSharpCompilationOptions(
                OutputKind.DynamicallyLinkedLibrary,
                nullableContextOptions: NullableContextOptions.Enable
            )
        );
    }
}
