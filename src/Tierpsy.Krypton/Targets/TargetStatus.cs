namespace Tierpsy.Krypton.Targets;

/// <summary>What happened to a planned target.</summary>
internal enum TargetStatus
{
    NotRun,
    Succeeded,
    Failed,
    Skipped,
    Aborted,
}

/// <summary>One row of the summary table.</summary>
internal sealed record TargetResult(string Name, TargetStatus Status, TimeSpan Duration, string Note);
