namespace Tierpsy.Krypton.Reports;

/// <summary>Where a video stands.</summary>
internal enum VideoOutcome
{
    /// <summary>Its latest task ended with exit code 0.</summary>
    Finished,

    /// <summary>Its latest task ended otherwise, or was killed.</summary>
    Failed,

    /// <summary>Its latest task was cancelled.</summary>
    Cancelled,

    /// <summary>Its latest task is queued or running (no end in its log yet).</summary>
    Open,

    /// <summary>Tierpsy cannot process it (a requirement unmet).</summary>
    Invalid,

    /// <summary>Listed as left to process, never submitted.</summary>
    NotRun,
}

/// <summary>One video in the run overview.</summary>
/// <param name="Day">Its imaging day (the folder below RawVideos/), or "" when it has none.</param>
/// <param name="Name">Its path below the day.</param>
/// <param name="Outcome">Where it stands.</param>
/// <param name="Detail">Why it failed, what it lacks; empty when there is nothing to say.</param>
/// <param name="Attempts">How many of its tasks started.</param>
/// <param name="LogTail">The last lines of its latest log, for failed videos.</param>
internal sealed record VideoRow(
    string Day,
    string Name,
    VideoOutcome Outcome,
    string Detail,
    int Attempts,
    IReadOnlyList<string> LogTail
);

/// <summary>One submission: its id, attempt, job ids and what it asked for.</summary>
internal sealed record SubmissionRow(
    string Id,
    string Kind,
    int Attempt,
    DateTimeOffset SubmittedAt,
    IReadOnlyList<string> JobIds,
    int Tasks,
    TimeSpan? Walltime,
    string? Memory,
    bool Cancelled
);

/// <summary>
/// One task as its log and the scheduler tell: when it started and ended (seconds since 1970, from its log), its
/// exit code, the Tierpsy checkpoint it reached, what it asked for and, where the scheduler recorded it, the most
/// memory it used.
/// </summary>
internal sealed record TaskRun(
    string Submission,
    int Attempt,
    int Task,
    string Video,
    DateTimeOffset? Start,
    DateTimeOffset? End,
    int? ExitCode,
    string? Checkpoint,
    TimeSpan? Walltime,
    long? MaxRssBytes
)
{
    /// <summary>How long it ran; null until both ends are known.</summary>
    public TimeSpan? Elapsed => Start is { } s && End is { } e ? e - s : null;
}

/// <summary>One well's QC values from the joined summaries; null where the summary has none.</summary>
internal sealed record WellValue(double? Skeletons, double? Feature);

/// <summary>
/// One Hydra plate recording: the imgstores of its cameras (their names share everything but the camera serial)
/// and the values of its wells (A1 … H12). A camera without features leaves its wells out.
/// </summary>
internal sealed record PlateMap(
    string Day,
    string Name,
    IReadOnlyList<(string Serial, VideoOutcome Outcome)> Cameras,
    IReadOnlyDictionary<string, WellValue> Wells
);

/// <summary>One plain video (one well) with its values from the joined summaries.</summary>
internal sealed record VideoBar(string Day, string Name, WellValue? Value);

/// <summary>Walltime used against walltime asked, over the tasks that ended.</summary>
/// <param name="Used">Each ended task's run time.</param>
/// <param name="Asked">The longest walltime asked.</param>
/// <param name="Suggested">The 95th percentile of the run times plus a margin; null without run times.</param>
/// <param name="MaxRss">The most memory a task used, where the scheduler recorded it.</param>
/// <param name="SuggestedMemory">
/// The 95th percentile of the memory the tasks used plus a margin, in whole gibibytes; null without figures.
/// </param>
internal sealed record ResourceSummary(
    IReadOnlyList<TimeSpan> Used,
    TimeSpan? Asked,
    TimeSpan? Suggested,
    long? MaxRss,
    long? SuggestedMemory = null
);

/// <summary>Everything the page shows, gathered from the project; rendering it needs nothing else.</summary>
internal sealed record ReportData
{
    public required string Project { get; init; }
    public required DateTimeOffset Made { get; init; }
    public required IReadOnlyList<VideoRow> Videos { get; init; }
    public required IReadOnlyList<SubmissionRow> Submissions { get; init; }
    public required IReadOnlyList<TaskRun> Tasks { get; init; }
    public required ResourceSummary Resources { get; init; }
    public required IReadOnlyList<PlateMap> Plates { get; init; }
    public required IReadOnlyList<VideoBar> Singles { get; init; }

    /// <summary>The feature the plate maps colour by (--report-feature).</summary>
    public required string Feature { get; init; }

    /// <summary>Bytes in the folders staged from, and in Results/ and MaskedVideos/ here.</summary>
    public long? StagedBytes { get; init; }
    public long? RetrievedBytes { get; init; }

    /// <summary>Why there are no plate maps or bars (no joined summaries yet), or null.</summary>
    public string? SummaryNote { get; init; }

    /// <summary>Which submissions may be out of date because the cluster could not be reached, or null.</summary>
    public string? StaleNote { get; init; }
}
