using Microsoft.CodeAnalysis.CSharp;
using Tierpsy.Krypton.Generators.Json;
using Tierpsy.Krypton.Generators.Tierpsy;

namespace Tierpsy.Krypton.Generators.Generation;

/// <summary>
/// Turns a parsed parameter file into typed values: one per key Tierpsy knows, typed by what the file holds.
/// </summary>
internal static class ParameterFileModelReader
{
    public static ParameterFileModel Read(string relativePath, JsonNode root)
    {
        var values = new Dictionary<string, ParameterValueModel>(StringComparer.Ordinal);
        foreach (var property in root.Properties)
        {
            if (!TrackerCatalog.Parameters.TryGetValue(property.Name, out var parameter))
                continue;
            if (Typed(property.Value) is not { } typed)
                continue;
            values[property.Name] = new ParameterValueModel(
                Naming.Pascal(property.Name),
                typed.Type,
                typed.Literal,
                property.Name,
                parameter.Description
            );
        }
        var name = Naming.Pascal(Path.GetFileNameWithoutExtension(relativePath));
        return new ParameterFileModel(name, relativePath, values.Values.ToEquatableArray());
    }

    private static (string Type, string Literal)? Typed(JsonNode value) =>
        value.Kind switch
        {
            JsonKind.String => ("string", Literal(value.Text)),
            JsonKind.True => ("bool", "true"),
            JsonKind.False => ("bool", "false"),
            JsonKind.Number when value.IsIntegerLiteral && long.TryParse(value.Text, out _) => (
                "long",
                value.Text + "L"
            ),
            JsonKind.Number => ("double", Double(value.Text)),
            JsonKind.Array when value.Items.All(i => i.Kind == JsonKind.String) => (
                "global::System.Collections.Generic.IReadOnlyList<string>",
                $"new string[] {{ {string.Join(", ", value.Items.Select(i => Literal(i.Text)))} }}"
            ),
            JsonKind.Array when value.Items.All(i => i.Kind == JsonKind.Number) => (
                "global::System.Collections.Generic.IReadOnlyList<double>",
                $"new double[] {{ {string.Join(", ", value.Items.Select(i => Double(i.Text)))} }}"
            ),
            _ => null,
        };

    private static string Literal(string text) => SymbolDisplay.FormatLiteral(text, quote: true);

    private static string Double(string text) => text.IndexOfAny(['.', 'e', 'E']) >= 0 ? text + "d" : text + ".0";
}
