using System.Globalization;
using System.Reflection;
using Tierpsy.Krypton.Text;

namespace Tierpsy.Krypton.Targets;

/// <summary>
/// A <see cref="ParameterAttribute"/> member of a build object, with where its current value came from.
/// </summary>
internal sealed class BuildParameter
{
    private readonly MemberInfo _member;
    private readonly PropertyInfo? _group;

    private BuildParameter(PropertyInfo? group, MemberInfo member, Type type, ParameterAttribute attribute, bool secret)
    {
        _group = group;
        _member = member;
        Type = type;
        Name = attribute.Name ?? member.Name;
        Description = attribute.Description;
        IsSecret = secret;
        _minimum = attribute.Minimum;
        _maximum = attribute.Maximum;
    }

    private readonly double _minimum;
    private readonly double _maximum;

    /// <summary>Why a converted value is outside the parameter's range; null when it is inside (or has none).</summary>
    public string? RangeProblem(object? value)
    {
        double? number = value switch
        {
            int i => i,
            long l => l,
            double d => d,
            TimeSpan t => t.TotalSeconds,
            _ => null,
        };
        if (number is not { } n)
            return null;
        string Show(double limit) =>
            value is TimeSpan
                ? DurationText.Format(TimeSpan.FromSeconds(limit))
                : limit.ToString(CultureInfo.InvariantCulture);
        if (!double.IsNaN(_minimum) && n < _minimum)
            return $"must be at least {Show(_minimum)}";
        if (!double.IsNaN(_maximum) && n > _maximum)
            return $"must be at most {Show(_maximum)}";
        return null;
    }

    /// <summary>PascalCase name, as in <c>.krypton/parameters.json</c>.</summary>
    public string Name { get; }
    public string Option => "--" + ParameterNames.Kebab(Name);
    public string EnvironmentName => ParameterNames.Environment(Name);
    public Type Type { get; }
    public string? Description { get; }
    public bool IsSecret { get; }
    public bool IsFlag => ParameterConverter.IsFlag(Type);
    public string Source { get; private set; } = "default";

    /// <summary>
    /// All parameters of the build's class and its base classes, base classes first. A get-only property whose type
    /// declares parameters (a settings object such as the summarizer's) contributes its parameters in its place.
    /// </summary>
    public static IReadOnlyList<BuildParameter> Discover(Type buildType)
    {
        var chain = new List<Type>();
        for (var t = buildType; t is not null && t != typeof(object); t = t.BaseType)
            chain.Insert(0, t);
        var result = new List<BuildParameter>();
        foreach (var type in chain)
        foreach (var member in DeclaredMembers(type))
        {
            if (member is PropertyInfo group && IsGroup(group))
                foreach (var nested in DeclaredMembers(group.PropertyType))
                    AddIfParameter(result, group, nested);
            else
                AddIfParameter(result, null, member);
        }
        return result;
    }

    private static IEnumerable<MemberInfo> DeclaredMembers(Type type)
    {
        const BindingFlags flags =
            BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;
        return type.GetMembers(flags).Where(m => m is FieldInfo or PropertyInfo).OrderBy(m => m.MetadataToken);
    }

    /// <summary>A get-only property without [Parameter] whose class declares [Parameter] members.</summary>
    private static bool IsGroup(PropertyInfo property) =>
        property is { CanWrite: false, PropertyType.IsClass: true }
        && property.GetCustomAttribute<ParameterAttribute>() is null
        && property.PropertyType != typeof(string)
        && DeclaredMembers(property.PropertyType).Any(m => m.GetCustomAttribute<ParameterAttribute>() is not null);

    private static void AddIfParameter(List<BuildParameter> result, PropertyInfo? group, MemberInfo member)
    {
        if (member.GetCustomAttribute<ParameterAttribute>() is not { } attribute)
            return;
        var memberType = member is FieldInfo f ? f.FieldType : ((PropertyInfo)member).PropertyType;
        var secret = member.GetCustomAttribute<SecretAttribute>() is not null;
        var parameter = new BuildParameter(group, member, memberType, attribute, secret);
        if (
            result.FirstOrDefault(p => ParameterNames.Normalize(p.Name) == ParameterNames.Normalize(parameter.Name)) is
            { } twin
        )
            throw new BuildSetupException(
                $"Parameters {twin._member.DeclaringType!.Name}.{twin._member.Name} and "
                    + $"{member.DeclaringType!.Name}.{member.Name} have the same option {parameter.Option}. "
                    + "Rename one, or give it [Parameter(Name = \"...\")]."
            );
        result.Add(parameter);
    }

    /// <summary>The object that holds the member: the build, or the settings object of a group.</summary>
    private object Owner(object build) => _group?.GetValue(build) ?? build;

    public object? Read(object build) =>
        _member switch
        {
            FieldInfo f => f.GetValue(Owner(build)),
            PropertyInfo p => p.GetValue(Owner(build)),
            _ => null,
        };

    public void Assign(object build, object? value, string source)
    {
        var owner = Owner(build);
        switch (_member)
        {
            case FieldInfo f:
                f.SetValue(owner, value);
                break;
            case PropertyInfo { CanWrite: true } p:
                p.SetValue(owner, value);
                break;
            case PropertyInfo p:
                var backing = p.DeclaringType!.GetField(
                    $"<{p.Name}>k__BackingField",
                    BindingFlags.Instance | BindingFlags.NonPublic
                )
                    ?? throw new BuildSetupException(
                        $"Parameter {p.Name} is a property without a setter. Make it an auto-property ({{ get; set; "
                            + $"}} or {{ get; }}) or a field."
                    );
                backing.SetValue(owner, value);
                break;
        }
        Source = source;
    }

    /// <summary>Whether the value counts as given: not null, not empty, not false.</summary>
    public static bool IsPresent(object? value) =>
        value switch
        {
            null => false,
            string s => s.Length > 0,
            bool b => b,
            Array a => a.Length > 0,
            _ => true,
        };

    /// <summary>The current value as help shows it; secrets show only whether they are set.</summary>
    public string Display(object build, string rootDirectory)
    {
        var value = Read(build);
        if (IsSecret)
            return IsPresent(value) ? "(secret, set)" : "(secret, not set)";
        return IsPresent(value) || value is false ? ParameterConverter.Format(value, rootDirectory) : "(not set)";
    }

    /// <summary>Every way to set this parameter, for error messages.</summary>
    public string HowToSet() =>
        $"{Option} <value> on the command line, the environment variable KRYPTON_{EnvironmentName}"
        + $", or \"{Name}\" in .krypton/parameters.json";
}
