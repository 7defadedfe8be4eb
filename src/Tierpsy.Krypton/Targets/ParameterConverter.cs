using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Runtime.Serialization;
using Tierpsy.Krypton.Text;

namespace Tierpsy.Krypton.Targets;

/// <summary>Turns the text of a parameter into its declared type; says what was expected when it cannot.</summary>
internal static class ParameterConverter
{
    private static readonly string[] TrueWords = ["true", "yes", "on", "1"];
    private static readonly string[] FalseWords = ["false", "no", "off", "0"];

    public static bool IsFlag(Type type) => (Nullable.GetUnderlyingType(type) ?? type) == typeof(bool);

    public static bool IsBoolWord(string text) =>
        TrueWords.Contains(text, StringComparer.OrdinalIgnoreCase)
        || FalseWords.Contains(text, StringComparer.OrdinalIgnoreCase);

    /// <summary>Converts <paramref name="values"/> to <paramref name="type"/>.</summary>
    /// <exception cref="FormatException">The message says what was expected and what was found.</exception>
    public static object? Convert(Type type, IReadOnlyList<string> values, string rootDirectory)
    {
        if (type.IsArray)
        {
            var element = type.GetElementType()!;
            var array = Array.CreateInstance(element, values.Count);
            for (var i = 0; i < values.Count; i++)
                array.SetValue(ConvertOne(element, values[i], rootDirectory), i);
            return array;
        }
        if (IsFlag(type) && values.Count == 0)
            return true;
        if (values.Count != 1)
            throw new FormatException(
                $"expected one value, found {values.Count}: {string.Join(" ", values.Select(v => $"'{v}'"))}"
            );
        return ConvertOne(Nullable.GetUnderlyingType(type) ?? type, values[0], rootDirectory);
    }

    /// <summary>
    /// The type as help shows it: <c>string</c>, <c>int</c>, <c>duration</c>, <c>path</c>, <c>a|b|c</c>,
    /// <c>string[]</c>.
    /// </summary>
    public static string Describe(Type type)
    {
        if (type.IsArray)
            return Describe(type.GetElementType()!) + "...";
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type.IsEnum)
            return string.Join("|", Enum.GetNames(type).Select(n => EnumText(type, n)));
        return type == typeof(string) ? "string"
            : type == typeof(bool) ? "flag"
            : type == typeof(int) || type == typeof(long) ? "int"
            : type == typeof(double) ? "number"
            : type == typeof(TimeSpan) ? "duration"
            : type == typeof(AbsolutePath) ? "path"
            : type.Name;
    }

    /// <summary>Formats a value the way it would be written on the command line.</summary>
    public static string Format(object? value, string rootDirectory) =>
        value switch
        {
            null => "",
            string s => s,
            bool b => b ? "true" : "false",
            TimeSpan t => DurationText.Format(t),
            Enum e => EnumText(e.GetType(), e.ToString()),
            AbsolutePath p => p.RelativeTo(AbsolutePath.Create(rootDirectory)) is var rel
            && !rel.StartsWith("..", StringComparison.Ordinal)
                ? rel
                : p.ToString(),
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            IEnumerable list => string.Join(
                " ",
                list.Cast<object?>().Select(v => Format(v, rootDirectory)).Select(AsWord)
            ),
            _ => value.ToString() ?? "",
        };

    /// <summary>One element of a list as a shell word: quoted when it holds white space or quotes.</summary>
    private static string AsWord(string text) =>
        text.Length > 0 && !text.Any(c => char.IsWhiteSpace(c) || c is '\'' or '"')
            ? text
            : "'" + text.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    /// <summary>
    /// An enum value as users write it: its <see cref="EnumMemberAttribute"/> value, else kebab-case.
    /// </summary>
    private static string EnumText(Type type, string name) =>
        type.GetField(name)?.GetCustomAttribute<EnumMemberAttribute>()?.Value ?? ParameterNames.Kebab(name);

    private static object ConvertOne(Type type, string text, string rootDirectory)
    {
        if (type == typeof(string))
            return text;
        if (type == typeof(bool))
            return TrueWords.Contains(text, StringComparer.OrdinalIgnoreCase) ? true
                : FalseWords.Contains(text, StringComparer.OrdinalIgnoreCase) ? false
                : throw new FormatException($"expected true or false, found '{text}'");
        if (type == typeof(int))
            return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i)
                ? i
                : throw new FormatException($"expected a whole number, found '{text}'");
        if (type == typeof(long))
            return long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l)
                ? l
                : throw new FormatException($"expected a whole number, found '{text}'");
        if (type == typeof(double))
            return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d)
                ? d
                : throw new FormatException($"expected a number like 2.5, found '{text}'");
        if (type == typeof(TimeSpan))
            return DurationText.TryParse(text, out var t) ? t
                : DurationText.IsAmbiguous(text)
                    ? throw new FormatException(
                        $"'{text}' is ambiguous: sbatch and qsub read two parts as minutes:seconds. "
                            + "Write hours:minutes:seconds (1:30:00) or units (90m, 1h30m, 90s)"
                    )
                : throw new FormatException(
                    $"expected a duration like 30:00:00 (hours:minutes:seconds) or 90m, found '{text}'"
                );
        if (type == typeof(AbsolutePath))
            return string.IsNullOrWhiteSpace(text)
                ? throw new FormatException("expected a path, found an empty value")
                : AbsolutePath.Create(text, rootDirectory);
        if (type.IsEnum)
        {
            var key = ParameterNames.Normalize(text);
            foreach (var name in Enum.GetNames(type))
                if (ParameterNames.Normalize(name) == key || ParameterNames.Normalize(EnumText(type, name)) == key)
                    return Enum.Parse(type, name);
            throw new FormatException(
                $"expected one of {Describe(type).Replace("|", ", ", StringComparison.Ordinal)}, found '{text}'"
            );
        }
        throw new FormatException(
            $"parameters of type {type.Name} are not supported; use string, bool, int, double, an enum, TimeSpan, "
                + $"AbsolutePath or an array of these"
        );
    }
}
