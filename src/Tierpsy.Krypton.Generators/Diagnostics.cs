using Microsoft.CodeAnalysis;

namespace Tierpsy.Krypton.Generators;

/// <summary>
/// The diagnostics the generator reports; each message says what was expected, what was found and what to do.
/// </summary>
internal static class Diagnostics
{
    private const string Category = "Tierpsy.Krypton";

    public static readonly DiagnosticDescriptor UnknownParameter = Error("KRY001", "Unknown Tierpsy parameter");
    public static readonly DiagnosticDescriptor WrongType = Error(
        "KRY002",
        "Tierpsy parameter has the wrong JSON type"
    );
    public static readonly DiagnosticDescriptor NotAnOption = Error(
        "KRY003",
        "Tierpsy parameter value is not one of its options"
    );
    public static readonly DiagnosticDescriptor UnknownCheckpoint = Error("KRY004", "Unknown analysis checkpoint");

    // A warning, not an error: the file is right for a Tierpsy before 2022-03; Doctor and ListFiles check the installed
    // one.
    public static readonly DiagnosticDescriptor OlderVersionKey = Warning(
        "KRY005",
        "Key accepted only by older Tierpsy versions"
    );
    public static readonly DiagnosticDescriptor UnknownBuildParameter = Error(
        "KRY006",
        "Unknown key in .krypton/parameters.json"
    );
    public static readonly DiagnosticDescriptor InvalidJson = Error("KRY007", "Invalid JSON");
    public static readonly DiagnosticDescriptor OldKey = Warning("KRY008", "Old Tierpsy parameter name");
    public static readonly DiagnosticDescriptor CheckpointNotInSequence = Warning(
        "KRY009",
        "Checkpoint is not in the analysis type's sequence"
    );
    public static readonly DiagnosticDescriptor DuplicateKey = Warning("KRY010", "Key appears twice");
    public static readonly DiagnosticDescriptor NewerVersionKey = new(
        "KRY011",
        "Key needs a newer Tierpsy",
        "{0}",
        Category,
        DiagnosticSeverity.Info,
        isEnabledByDefault: true
    );

    public static IReadOnlyDictionary<string, DiagnosticDescriptor> ById { get; } =
        new[]
        {
            UnknownParameter,
            WrongType,
            NotAnOption,
            UnknownCheckpoint,
            OlderVersionKey,
            UnknownBuildParameter,
            InvalidJson,
            OldKey,
            CheckpointNotInSequence,
            DuplicateKey,
            NewerVersionKey,
        }.ToDictionary(d => d.Id);

    /// <summary>" Did you mean "x"?" for the closest name, or nothing; the same wording in every message.</summary>
    public static string DidYouMean(string typed, IEnumerable<string> names) =>
        global::Tierpsy.Krypton.Targets.Suggestions.Closest(typed, names) is { } match
            ? $" Did you mean \"{match}\"?"
            : "";

    private static DiagnosticDescriptor Error(string id, string title) =>
        new(id, title, "{0}", Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    private static DiagnosticDescriptor Warning(string id, string title) =>
        new(id, title, "{0}", Category, DiagnosticSeverity.Warning, isEnabledByDefault: true);
}
