namespace Tierpsy.Krypton.Targets;

/// <summary>
/// Renders <c>--help</c>: targets with their direct dependencies, parameters with their current values, options.
/// </summary>
internal static class HelpWriter
{
    private static readonly (string Option, string Text)[] Options =
    [
        ("--help, -h", "Show this help."),
        ("--version", "Print the version of Tierpsy.Krypton."),
        ("--plan", "Print the order in which the given targets would run; run nothing."),
        ("--skip [targets]", "Skip the named targets; without names, skip every target that was not named."),
        ("--dry-run", "Print every remote command and file instead of running or writing it."),
        ("--profile <names>", "Also read .krypton/parameters.<name>.json; a later profile wins."),
        ("--verbosity <level>", "quiet, normal (default) or verbose."),
        ("--root <folder>", "The project root (default: the nearest folder above with .krypton/)."),
        ("--target <targets>", "The targets to run, as NUKE writes them (the same as naming them first)."),
    ];

    public static string Render(
        string command,
        TargetGraph graph,
        IReadOnlyList<ExecutableTarget> defaults,
        IReadOnlyList<BuildParameter> parameters,
        object build,
        string rootDirectory
    )
    {
        var lines = new List<string> { $"Usage: {command} [targets...] [--parameter value...] [options]", "" };

        var listed = graph.Targets.Where(t => !t.Definition.IsUnlisted).ToList();
        lines.Add(defaults.Count > 0 ? "Targets (* runs when no target is named):" : "Targets:");
        var nameWidth = listed.Select(t => t.Name.Length + 1).DefaultIfEmpty(0).Max();
        foreach (var t in listed)
        {
            var name = t.Name + (defaults.Contains(t) ? "*" : "");
            var depends =
                t.Dependencies.Count > 0
                    ? $" (depends on {string.Join(", ", t.Dependencies.Select(d => d.Name))})"
                    : "";
            lines.Add($"  {name.PadRight(nameWidth)}  {t.Description ?? ""}{depends}".TrimEnd());
        }

        if (parameters.Count > 0)
        {
            lines.Add("");
            lines.Add("Parameters (current value and where it came from):");
            var specs = parameters
                .Select(p => p.IsFlag ? p.Option : $"{p.Option} <{ParameterConverter.Describe(p.Type)}>")
                .ToList();
            var width = specs.Max(s => s.Length);
            for (var i = 0; i < parameters.Count; i++)
            {
                var p = parameters[i];
                lines.Add($"  {specs[i].PadRight(width)}  {p.Description ?? ""}".TrimEnd());
                lines.Add($"  {new string(' ', width)}  = {p.Display(build, rootDirectory)} [{p.Source}]");
            }
        }

        lines.Add("");
        lines.Add("Options:");
        var optionWidth = Options.Max(o => o.Option.Length);
        lines.AddRange(Options.Select(o => $"  {o.Option.PadRight(optionWidth)}  {o.Text}"));
        lines.Add("");
        lines.Add("A parameter is taken from the first of: the command line, the environment variable KRYPTON_<NAME>");
        lines.Add(
            "(only the prefixed one), the --profile files, .krypton/parameters.json; otherwise it keeps its "
                + "default."
        );
        return string.Join(Environment.NewLine, lines) + Environment.NewLine;
    }
}
