namespace Tierpsy.Krypton.Tierpsy;

/// <summary>
/// What the listing (<c>tierpsy_process --only_summary</c>) is asked about. Paths are cluster paths; a leading
/// <c>~/</c> means the cluster user's home.
/// </summary>
internal sealed record ListingOptions
{
    /// <summary>
    /// Root searched for videos (<c>RawVideos</c>); null to search the masked videos (Tierpsy then walks the mask
    /// root).
    /// </summary>
    public required string? VideoRoot { get; init; }

    /// <summary>
    /// The checkpoint to start from (<c>--force_start_point</c>): the earlier ones are dropped; null for all.
    /// </summary>
    public string? StartPoint { get; init; }

    /// <summary>Root of the masked videos (<c>MaskedVideos</c>).</summary>
    public required string MaskRoot { get; init; }

    /// <summary>Root of the results (<c>Results</c>).</summary>
    public required string ResultsRoot { get; init; }

    /// <summary>
    /// Temporary root; work left there by a killed task is resumed. Null: Tierpsy's default <c>~/Tmp</c>.
    /// </summary>
    public string? TmpRoot { get; init; }

    /// <summary>The parameter file (JSON).</summary>
    public required string JsonFile { get; init; }

    /// <summary>One fnmatch pattern on file names: <c>*.yaml</c> for Hydra imgstores.</summary>
    public string Pattern { get; init; } = "*.yaml";

    /// <summary>Optional fnmatch pattern of files to leave out.</summary>
    public string? PatternExclude { get; init; }

    /// <summary>Copy the outputs of an incomplete run to the final folders (the original workflow sets it).</summary>
    public bool CopyUnfinished { get; init; } = true;

    /// <summary>Copy each raw video into the temporary folder before COMPRESS.</summary>
    public bool CopyVideo { get; init; }

    /// <summary>Also print each invalid video with the requirement it fails (<c>--unmet_requirements</c>).</summary>
    public bool UnmetRequirements { get; init; }
}
