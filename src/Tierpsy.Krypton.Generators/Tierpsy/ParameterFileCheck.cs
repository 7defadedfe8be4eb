using System.Globalization;
using Tierpsy.Krypton.Generators.Json;

namespace Tierpsy.Krypton.Generators.Tierpsy;

/// <summary>
/// Checks a Tierpsy parameter file the way Tierpsy 1.5.3a reads it, and beyond: every problem at once (Tierpsy stops
/// at the first), JSON types (Tierpsy checks none and fails later, once per video), and checkpoint names.
/// </summary>
internal static class ParameterFileCheck
{
    public static void Check(JsonNode root, string fileName, FindingList findings)
    {
        if (root.Kind != JsonKind.Object)
        {
            findings.Add(
                Diagnostics.InvalidJson,
                root.Start,
                root.End,
                $"A Tierpsy parameter file holds one JSON object ({{ \"key\": value, ... }}), but {fileName} holds a "
                    + $"{root.KindName}."
            );
            return;
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in root.Properties)
        {
            if (!seen.Add(property.Name))
                findings.Add(
                    Diagnostics.DuplicateKey,
                    property.NameStart,
                    property.NameEnd,
                    $"\"{property.Name}\" appears more than once in {fileName}; Tierpsy uses the last one. Remove the "
                        + $"others."
                );
            CheckKey(property, fileName, findings);
        }
        CheckCheckpoints(root, fileName, findings);
    }

    private static void CheckKey(JsonProperty property, string fileName, FindingList findings)
    {
        var (name, value) = (property.Name, property.Value);
        if (TrackerCatalog.OlderVersionsOnly.TryGetValue(name, out var instead))
        {
            findings.Add(
                Diagnostics.OlderVersionKey,
                property.NameStart,
                property.NameEnd,
                $"\"{name}\" is accepted only by Tierpsy before 2022-03; Tierpsy {TrackerCatalog.Version} stops every "
                    + $"job with: Parameter \"{name}\" is not a valid parameter. Change its value in file "
                    + $"\"{fileName}\". If the cluster runs a newer Tierpsy ('Doctor' tells), {instead}."
            );
            return;
        }
        if (TrackerCatalog.OldKeys.TryGetValue(name, out var rewrite))
        {
            findings.Add(
                Diagnostics.OldKey,
                property.NameStart,
                property.NameEnd,
                $"\"{name}\" is an old name that Tierpsy {TrackerCatalog.Version} still accepts: it {rewrite}. Use "
                    + $"the current key instead."
            );
            return;
        }
        if (!TrackerCatalog.Parameters.TryGetValue(name, out var parameter))
        {
            var names = TrackerCatalog.Parameters.Keys.Concat(TrackerCatalog.OldKeys.Keys);
            findings.Add(
                Diagnostics.UnknownParameter,
                property.NameStart,
                property.NameEnd,
                $"\"{name}\" is not a Tierpsy {TrackerCatalog.Version} parameter, so every job would stop with: "
                    + $"Parameter \"{name}\" is not a valid parameter.{Diagnostics.DidYouMean(name, names)} "
                    + "The accepted keys are listed in docs/tierpsy-parameters.md of KryptonTemplates."
            );
            return;
        }
        if (TrackerCatalog.NewerVersionsOnly.Contains(name))
            findings.Add(
                Diagnostics.NewerVersionKey,
                property.NameStart,
                property.NameEnd,
                $"\"{name}\" needs a Tierpsy from late March 2022 or later (older versions stop with \"is not a valid "
                    + $"parameter\"); 'Doctor' checks the version on the cluster."
            );
        CheckType(parameter, value, fileName, findings);
        CheckOptions(parameter, value, findings);
    }

    private static void CheckType(TrackerParameter parameter, JsonNode value, string fileName, FindingList findings)
    {
        var fits = parameter.JsonType switch
        {
            "string" => value.Kind == JsonKind.String,
            "boolean" => value.Kind is JsonKind.True or JsonKind.False,
            // An empty checkpoint list may also be written null or "" (both mean the default sequence).
            "array" => value.Kind == JsonKind.Array
                || (
                    parameter.Name == "analysis_checkpoints"
                    && (value.Kind == JsonKind.Null || (value.Kind == JsonKind.String && value.Text.Length == 0))
                ),
            "integer" => value.Kind == JsonKind.Number && IsWhole(value),
            "number" => value.Kind == JsonKind.Number,
            "number|array" => value.Kind is JsonKind.Number or JsonKind.Array,
            _ => true,
        };
        if (fits)
            return;
        var expected = parameter.JsonType switch
        {
            "integer" => "a whole number",
            "number|array" => "a number or a [low, high] array",
            "array" => "an array",
            var t => "a " + t,
        };
        var found =
            value.Kind == JsonKind.Number ? $"the number {value.Text}"
            : value.Kind == JsonKind.String ? $"the string \"{value.Text}\""
            : value.KindName;
        var hint =
            value.Kind == JsonKind.String && parameter.JsonType is "integer" or "number" or "boolean"
                ? " Remove the quotes."
                : "";
        findings.Add(
            Diagnostics.WrongType,
            value.Start,
            value.End,
            $"\"{parameter.Name}\" must be {expected} ({parameter.Description}), but {fileName} gives {found}. "
                + $"Tierpsy does not check types when it reads the file, so the step that uses it would fail later, "
                + $"once per video.{hint}"
        );
    }

    private static bool IsWhole(JsonNode number) =>
        number.IsIntegerLiteral
        || (
            double.TryParse(number.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d)
            && Math.Abs(d - Math.Round(d)) == 0
        );

    private static void CheckOptions(TrackerParameter parameter, JsonNode value, FindingList findings)
    {
        if (parameter.Options.Count == 0)
            return;
        if (
            parameter.Name == "analysis_type"
            && value.Kind == JsonKind.String
            && TrackerCatalog.AnalysisTypeAliases.TryGetValue(value.Text, out var alias)
        )
        {
            findings.Add(
                Diagnostics.OldKey,
                value.Start,
                value.End,
                $"\"{value.Text}\" is an old analysis type: Tierpsy {TrackerCatalog.Version} reads it as \"{alias}\". "
                    + $"Write \"{alias}\"."
            );
            return;
        }
        if (value.Kind == JsonKind.String && parameter.Options.Contains(value.Text))
            return;
        var options = "[" + string.Join(", ", parameter.Options.Select(o => $"'{o}'")) + "]";
        findings.Add(
            Diagnostics.NotAnOption,
            value.Start,
            value.End,
            $"\"{parameter.Name}\" must be one of {string.Join(", ", parameter.Options.Select(o => $"\"{o}\""))}; "
                + $"Tierpsy stops every job with: Parameter \"{value.PythonText}\" is not in the list of valid "
                + $"options {options}.{Diagnostics.DidYouMean(value.Text, parameter.Options.Where(o => o.Length > 0))}"
        );
    }

    private static void CheckCheckpoints(JsonNode root, string fileName, FindingList findings)
    {
        var checkpoints = root.Properties.LastOrDefault(p => p.Name == "analysis_checkpoints")?.Value;
        if (checkpoints is not { Kind: JsonKind.Array })
            return;
        var type = root.Properties.LastOrDefault(p => p.Name == "analysis_type")?.Value is { Kind: JsonKind.String } t
            ? TrackerCatalog.AnalysisTypeAliases.TryGetValue(t.Text, out var alias)
                ? alias
                : t.Text
            : "TIERPSY";
        var sequence = TrackerCatalog.DefaultSequence(type);
        foreach (var item in checkpoints.Items)
        {
            if (item.Kind != JsonKind.String)
            {
                findings.Add(
                    Diagnostics.WrongType,
                    item.Start,
                    item.End,
                    $"Each checkpoint in \"analysis_checkpoints\" is a name in double quotes, such as \"COMPRESS\", "
                        + $"but {fileName} gives {item.KindName}."
                );
                continue;
            }
            if (!TrackerCatalog.Checkpoints.Contains(item.Text))
                findings.Add(
                    Diagnostics.UnknownCheckpoint,
                    item.Start,
                    item.End,
                    $"\"{item.Text}\" is not a Tierpsy checkpoint; the step would fail with ModuleNotFoundError when "
                        + $"a job reaches it.{Diagnostics.DidYouMean(item.Text, TrackerCatalog.Checkpoints)} Valid "
                        + $"names: {string.Join(", ", TrackerCatalog.Checkpoints)}."
                );
            else if (sequence.Count > 0 && !sequence.Contains(item.Text))
                findings.Add(
                    Diagnostics.CheckpointNotInSequence,
                    item.Start,
                    item.End,
                    $"\"{item.Text}\" is not among the checkpoints of analysis type \"{type}\" "
                        + $"({string.Join(", ", sequence)}); check that the videos have what it needs."
                );
        }
    }
}
