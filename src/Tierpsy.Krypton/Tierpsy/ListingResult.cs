namespace Tierpsy.Krypton.Tierpsy;

/// <summary>What a listing found: the four counts, and one task per video still to process.</summary>
internal sealed record ListingResult
{
    /// <summary>Videos with no checkpoint done.</summary>
    public required int Unprocessed { get; init; }

    /// <summary>Videos with some but not all checkpoints done.</summary>
    public required int Incomplete { get; init; }

    /// <summary>Videos whose next checkpoint has an unmet requirement (for example an unreadable video).</summary>
    public required int Invalid { get; init; }

    /// <summary>Videos with every checkpoint done.</summary>
    public required int Finished { get; init; }

    /// <summary>Unprocessed plus incomplete: the size of the array job.</summary>
    public int ToProcess => Unprocessed + Incomplete;

    /// <summary>One task per video to process, incomplete ones first, in Tierpsy's order.</summary>
    public required IReadOnlyList<TierpsyTask> Tasks { get; init; }

    /// <summary>
    /// Requirement and path of each invalid video, when the listing printed them (<c>--unmet_requirements</c>).
    /// </summary>
    public IReadOnlyList<(string Requirement, string Path)> Unmet { get; init; } = [];
}
