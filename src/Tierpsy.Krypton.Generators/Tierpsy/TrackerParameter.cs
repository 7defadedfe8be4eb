namespace Tierpsy.Krypton.Generators.Tierpsy;

/// <summary>One key Tierpsy accepts in a parameter file (a row of tracker-parameters.tsv).</summary>
/// <param name="Name">The JSON key.</param>
/// <param name="JsonType">string, boolean, array, integer, number, or number|array.</param>
/// <param name="Options">
/// The allowed values of a restricted key (exact, case-sensitive strings); empty when not restricted.</param>
/// <param name="Description">What it does.</param>
internal sealed record TrackerParameter(
    string Name,
    string JsonType,
    IReadOnlyList<string> Options,
    string Description
);
