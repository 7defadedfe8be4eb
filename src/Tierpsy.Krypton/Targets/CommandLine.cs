namespace Tierpsy.Krypton.Targets;

/// <summary>How many values an option takes.</summary>
internal enum OptionArity
{
    /// <summary>No value, or an explicit true/false.</summary>
    Flag,

    /// <summary>Exactly one value; words after it are targets.</summary>
    One,

    /// <summary>Every word up to the next option.</summary>
    Many,
}

/// <summary>The command line split into targets, the engine's own options and parameter values.</summary>
internal sealed class CommandLine
{
    /// <summary>The engine's own options and how many values each takes.</summary>
    public static readonly IReadOnlyDictionary<string, OptionArity> BuiltIns = new Dictionary<string, OptionArity>
    {
        ["help"] = OptionArity.Flag,
        ["version"] = OptionArity.Flag,
        ["plan"] = OptionArity.Flag,
        ["skip"] = OptionArity.Many,
        ["dry-run"] = OptionArity.Flag,
        ["verbosity"] = OptionArity.One,
        ["profile"] = OptionArity.Many,
        ["root"] = OptionArity.One,
        ["target"] = OptionArity.Many,
    };

    public List<string> Targets { get; } = [];

    /// <summary>Parameter options by normalized name, with the spelling used and the values given.</summary>
    public Dictionary<string, (string Spelling, List<string> Values)> Parameters { get; } = [];

    public bool Help { get; private set; }
    public bool Version { get; private set; }
    public bool Plan { get; private set; }
    public bool DryRun { get; private set; }
    public List<string>? Skip { get; private set; }
    public List<string> Profiles { get; } = [];
    public Verbosity Verbosity { get; private set; } = Verbosity.Normal;
    public string? Root { get; private set; }

    /// <param name="args">The words after the program name.</param>
    /// <param name="parameterArity">
    /// The arity of a parameter option (kebab name), or null when there is no such parameter.</param>
    public static CommandLine Parse(IReadOnlyList<string> args, Func<string, OptionArity?> parameterArity)
    {
        var result = new CommandLine();
        var i = 0;
        while (i < args.Count)
        {
            var word = args[i++];
            if (word is "-h" or "-?" or "/?")
                word = "--help";
            if (!word.StartsWith("--", StringComparison.Ordinal) || word.Length == 2)
            {
                result.Targets.Add(word);
                continue;
            }

            var equals = word.IndexOf('=');
            var spelling = equals > 0 ? word[..equals] : word;
            var name = spelling[2..].ToLowerInvariant();
            var arity = BuiltIns.TryGetValue(name, out var builtIn)
                ? builtIn
                : parameterArity(name) ?? parameterArity(ParameterNames.Kebab(spelling[2..])) ?? OptionArity.Many;
            var values = new List<string>();
            if (equals > 0)
                values.Add(word[(equals + 1)..]);
            else if (arity == OptionArity.Flag)
            {
                if (i < args.Count && ParameterConverter.IsBoolWord(args[i]))
                    values.Add(args[i++]);
            }
            else if (arity == OptionArity.One)
            {
                if (i < args.Count && !args[i].StartsWith("--", StringComparison.Ordinal))
                    values.Add(args[i++]);
            }
            else
                while (i < args.Count && !args[i].StartsWith("--", StringComparison.Ordinal))
                    values.Add(args[i++]);

            result.Apply(spelling, name, values);
        }
        return result;
    }

    private void Apply(string spelling, string name, List<string> values)
    {
        switch (name)
        {
            case "help":
                Help = Flag(spelling, values);
                break;
            case "version":
                Version = Flag(spelling, values);
                break;
            case "plan":
                Plan = Flag(spelling, values);
                break;
            case "dry-run":
                DryRun = Flag(spelling, values);
                break;
            case "skip":
                (Skip ??= []).AddRange(values);
                break;
            case "profile":
                if (values.Count == 0)
                    throw new BuildSetupException(
                        "--profile needs a name: --profile cluster reads .krypton/parameters.cluster.json."
                    );
                Profiles.AddRange(values);
                break;
            case "root":
                Root = One(spelling, values, "a folder");
                break;
            case "target": // NUKE's long form: ./build.sh --target Submit
                if (values.Count == 0)
                    throw new BuildSetupException("--target needs a target name: --target Submit (or just Submit).");
                Targets.AddRange(values);
                break;
            case "verbosity":
                var text = One(spelling, values, "quiet, normal or verbose");
                Verbosity =
                    Enum.TryParse<Verbosity>(text, ignoreCase: true, out var v) && Enum.IsDefined(v)
                        ? v
                        : throw new BuildSetupException(
                            $"--verbosity expects quiet, normal or verbose, but got '{text}'."
                        );
                break;
            default:
                var key = ParameterNames.Normalize(name);
                if (Parameters.TryGetValue(key, out var existing))
                    existing.Values.AddRange(values);
                else
                    Parameters[key] = (spelling, values);
                break;
        }
    }

    private static bool Flag(string spelling, List<string> values) =>
        values switch
        {
            [] => true,
            [var v] when ParameterConverter.IsBoolWord(v) => (bool)
                ParameterConverter.Convert(typeof(bool), values, "")!,
            _ => throw new BuildSetupException(
                $"{spelling} is a flag: give it alone, or as {spelling}=false; '{string.Join(" ", values)}' is not "
                    + $"true or false."
            ),
        };

    private static string One(string spelling, List<string> values, string expected) =>
        values.Count == 1 ? values[0] : throw new BuildSetupException($"{spelling} expects one value ({expected}).");
}
