namespace Tierpsy.Krypton.Targets;

/// <summary>How much a build prints.</summary>
public enum Verbosity
{
    /// <summary>Errors, warnings and the summary only.</summary>
    Quiet,

    /// <summary>What each target does.</summary>
    Normal,

    /// <summary>Also the commands that run and stack traces of failures.</summary>
    Verbose,
}
