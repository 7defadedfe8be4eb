using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using Tierpsy.Krypton.Generators.Json;

namespace Tierpsy.Krypton.Generators;

/// <summary>
/// A diagnostic before it becomes one: a value, so the incremental pipeline can compare and cache it.
/// </summary>
internal sealed record Finding(string Id, string Path, int Start, int Length, LinePositionSpan Lines, string Message)
{
    public Diagnostic ToDiagnostic() =>
        Diagnostic.Create(Diagnostics.ById[Id], Location.Create(Path, new TextSpan(Start, Length), Lines), Message);
}

/// <summary>Collects findings for one file, turning character offsets into lines and columns.</summary>
internal sealed class FindingList(string path, SourceText text)
{
    public List<Finding> Items { get; } = new();

    /// <summary>
    /// The file's JSON, or null after reporting where it breaks; <paramref name="consequence"/> ends the message.
    /// </summary>
    public JsonNode? Parse(bool lenient, string consequence)
    {
        try
        {
            return JsonReader.Parse(text.ToString(), lenient);
        }
        catch (JsonSyntaxException e)
        {
            Add(
                Diagnostics.InvalidJson,
                e.Offset,
                e.Offset + 1,
                $"{Path.GetFileName(path)} is not valid JSON: {e.Message}{consequence}"
            );
            return null;
        }
    }

    public void Add(DiagnosticDescriptor descriptor, int start, int end, string message)
    {
        var span = TextSpan.FromBounds(Math.Min(start, text.Length), Math.Min(Math.Max(end, start), text.Length));
        Items.Add(
            new Finding(descriptor.Id, path, span.Start, span.Length, text.Lines.GetLinePositionSpan(span), message)
        );
    }
}
