namespace Tierpsy.Krypton.Targets;

/// <summary>
/// Marks a field or property of a build class as a parameter. Its value comes from the command line
/// (<c>--remote-root</c>), the environment (<c>KRYPTON_REMOTE_ROOT</c>, never an unprefixed name), the profile files
/// <c>.krypton/parameters.&lt;profile&gt;.json</c> or <c>.krypton/parameters.json</c>, in that order of precedence;
/// otherwise it keeps its initial value.
/// </summary>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property)]
public sealed class ParameterAttribute(string? description = null) : Attribute
{
    /// <summary>What the parameter means, shown by <c>--help</c>.</summary>
    public string? Description { get; } = description;

    /// <summary>The name to use instead of the member's name (PascalCase; the option is its kebab-case form).</summary>
    public string? Name { get; init; }

    /// <summary>The smallest value accepted (a number; seconds for a duration); unset (NaN) accepts any.</summary>
    public double Minimum { get; init; } = double.NaN;

    /// <summary>The largest value accepted (a number; seconds for a duration); unset (NaN) accepts any.</summary>
    public double Maximum { get; init; } = double.NaN;
}
