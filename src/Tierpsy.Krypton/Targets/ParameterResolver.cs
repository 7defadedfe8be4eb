using System.Text.Json;

namespace Tierpsy.Krypton.Targets;

/// <summary>
/// Gives every parameter its value from, in order of precedence: the command line, the environment
/// (<c>KRYPTON_NAME</c> only: an unprefixed <c>CONFIRM=1</c> or <c>QUEUE</c> left in a shell must not change what a
/// build does), the profile files (<c>--profile a b</c>: b wins over a), then <c>.krypton/parameters.json</c>. A
/// parameter found nowhere keeps its initial value.
/// </summary>
internal static class ParameterResolver
{
    public const string ParametersFolder = ".krypton";

    private const string CommandLineSource = "command line";

    /// <summary>Assigns the values; returns one message per problem (nothing is thrown for bad values).</summary>
    /// <remarks>
    /// Relative paths on the command line are relative to <c>workingDirectory</c>, as a shell user expects; those in
    /// files and the environment are relative to the project root.
    /// </remarks>
    public static IReadOnlyList<string> Resolve(
        object build,
        IReadOnlyList<BuildParameter> parameters,
        CommandLine commandLine,
        IReadOnlyDictionary<string, string> environment,
        string rootDirectory,
        string? workingDirectory = null
    )
    {
        var errors = new List<string>();
        var byKey = parameters.ToDictionary(p => ParameterNames.Normalize(p.Name));
        var allOptions = parameters
            .Select(p => p.Option)
            .Concat(CommandLine.BuiltIns.Keys.Select(k => "--" + k))
            .ToList();
        foreach (var (key, (spelling, _)) in commandLine.Parameters)
            if (!byKey.ContainsKey(key))
                errors.Add(
                    $"Unknown option {spelling}.{Suggestions.DidYouMean(spelling, allOptions)} Run with --help to "
                        + $"list every target, parameter and option."
                );

        var files = new List<ParameterFile>();
        var baseFile = Path.Combine(rootDirectory, ParametersFolder, "parameters.json");
        if (File.Exists(baseFile))
            files.Add(ParameterFile.Read(baseFile, rootDirectory, errors));
        foreach (var profile in commandLine.Profiles)
        {
            var path = Path.Combine(rootDirectory, ParametersFolder, $"parameters.{profile}.json");
            if (File.Exists(path))
                files.Add(ParameterFile.Read(path, rootDirectory, errors));
            else
                errors.Add(
                    $"Profile '{profile}' was asked for with --profile, but "
                        + $"{ParametersFolder}/parameters.{profile}.json does not exist. Existing profiles: "
                        + $"{ExistingProfiles(rootDirectory)}."
                );
        }
        foreach (var file in files)
        foreach (var (key, spelling) in file.Keys)
            if (!byKey.ContainsKey(key))
                errors.Add(
                    $"{file.DisplayPath} sets \"{spelling}\", which is not a parameter of this "
                        + $"build.{Suggestions.DidYouMean(spelling, parameters.Select(p => p.Name))} Remove or rename "
                        + $"it; --help lists the parameters."
                );

        var environmentByKey = new Dictionary<string, (string Name, string Value)>();
        foreach (var (name, value) in environment)
            environmentByKey.TryAdd(ParameterNames.Normalize(name), (name, value));

        foreach (var parameter in parameters)
        {
            if (Find(parameter, commandLine, environmentByKey, files) is not { } found)
                continue;
            try
            {
                var relativeTo = found.Source == CommandLineSource ? workingDirectory ?? rootDirectory : rootDirectory;
                var value = ParameterConverter.Convert(parameter.Type, found.Values, relativeTo);
                if (parameter.RangeProblem(value) is { } range)
                    throw new FormatException($"{range}, found '{string.Join(" ", found.Values)}'");
                parameter.Assign(build, value, found.Source);
            }
            catch (FormatException e)
            {
                var shown = parameter.IsSecret ? "the secret value" : e.Message;
                errors.Add($"Parameter {parameter.Option} ({found.Source}): {shown}.");
            }
        }
        return errors;
    }

    private static (IReadOnlyList<string> Values, string Source)? Find(
        BuildParameter parameter,
        CommandLine commandLine,
        Dictionary<string, (string Name, string Value)> environment,
        List<ParameterFile> files
    )
    {
        var key = ParameterNames.Normalize(parameter.Name);
        if (commandLine.Parameters.TryGetValue(key, out var cli))
            return (cli.Values, CommandLineSource);
        if (environment.TryGetValue("krypton" + key, out var prefixed))
            return (SplitEnvironment(parameter, prefixed.Value), $"environment variable {prefixed.Name}");
        for (var i = files.Count - 1; i >= 0; i--)
            if (files[i].Values.TryGetValue(key, out var values))
                return (values, files[i].DisplayPath);
        return null;
    }

    /// <summary>
    /// Array values in one variable are separated like PATH (':' on Unix, ';' on Windows), so paths may hold spaces.
    /// </summary>
    private static IReadOnlyList<string> SplitEnvironment(BuildParameter parameter, string value) =>
        parameter.Type.IsArray ? value.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
        : parameter.IsFlag && value.Length == 0 ? []
        : [value];

    private static string ExistingProfiles(string rootDirectory)
    {
        var folder = Path.Combine(rootDirectory, ParametersFolder);
        var names = Directory.Exists(folder)
            ? Directory
                .GetFiles(folder, "parameters.*.json")
                .Select(Path.GetFileName)
                .Select(n => n![11..^5])
                .Where(n => n != "schema")
                .Order()
                .ToList()
            : [];
        return names.Count == 0 ? "none" : string.Join(", ", names);
    }

    /// <summary>One parameters JSON file: its values by normalized key, as text.</summary>
    private sealed class ParameterFile
    {
        public required string DisplayPath { get; init; }
        public Dictionary<string, IReadOnlyList<string>> Values { get; } = [];
        public List<(string Key, string Spelling)> Keys { get; } = [];

        public static ParameterFile Read(string path, string rootDirectory, List<string> errors)
        {
            var file = new ParameterFile { DisplayPath = Path.GetRelativePath(rootDirectory, path).Replace('\\', '/') };
            try
            {
                using var document = JsonDocument.Parse(
                    File.ReadAllText(path),
                    new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip }
                );
                if (document.RootElement.ValueKind != JsonValueKind.Object)
                {
                    errors.Add(
                        $"{file.DisplayPath} must hold one JSON object of parameter names and values, like {{ "
                            + $"\"Host\": \"login.example.org\" }}."
                    );
                    return file;
                }
                foreach (var property in document.RootElement.EnumerateObject())
                {
                    if (property.Name == "$schema" || property.Value.ValueKind == JsonValueKind.Null)
                        continue;
                    var key = ParameterNames.Normalize(property.Name);
                    file.Keys.Add((key, property.Name));
                    if (ToText(property.Value) is { } values)
                        file.Values[key] = values;
                    else
                        errors.Add(
                            $"{file.DisplayPath}: \"{property.Name}\" must be a string, number, true/false or an "
                                + $"array of these, not a JSON "
                                + $"{property.Value.ValueKind.ToString().ToLowerInvariant()}."
                        );
                }
            }
            catch (JsonException e)
            {
                errors.Add(
                    $"{file.DisplayPath} is not valid JSON (line {e.LineNumber + 1}, column "
                        + $"{e.BytePositionInLine + 1}): {e.Message.Split(" Path:")[0]} Fix the file or delete it."
                );
            }
            return file;
        }

        private static IReadOnlyList<string>? ToText(JsonElement value) =>
            value.ValueKind switch
            {
                JsonValueKind.String => [value.GetString()!],
                JsonValueKind.Number => [value.GetRawText()],
                JsonValueKind.True => ["true"],
                JsonValueKind.False => ["false"],
                JsonValueKind.Array => value.EnumerateArray().Select(ToText).All(v => v is { Count: 1 })
                    ? value.EnumerateArray().Select(v => ToText(v)![0]).ToList()
                    : null,
                _ => null,
            };
    }
}
