namespace Tierpsy.Krypton.Reports;

/// <summary>Builds the page's plate maps, per-video bars and resource figures from what the project holds.</summary>
internal static class ReportBuilder
{
    /// <summary>Run times above this share of the tasks are what the next request should cover.</summary>
    public const double SuggestedPercentile = 0.95;

    /// <summary>The margin added to the percentile for the next request.</summary>
    public const double SuggestedMargin = 1.2;

    /// <summary>
    /// One plate map per Hydra plate recording (cameras grouped by name) and one bar per plain video, with their
    /// values from the joined summaries. <paramref name="videos"/> are paths below RawVideos/ (day first); the
    /// summaries' file names are the cluster's features files.
    /// </summary>
    public static (IReadOnlyList<PlateMap> Plates, IReadOnlyList<VideoBar> Singles) Plates(
        IReadOnlyList<(string Video, VideoOutcome Outcome)> videos,
        IReadOnlyList<SummaryRow> rows
    )
    {
        var byKey = rows.GroupBy(r => ResultKey(r.File))
            .ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var plates = new List<PlateMap>();
        var singles = new List<VideoBar>();
        var cameras = videos
            .Select(v => (v.Video, v.Outcome, Key: VideoKey(v.Video)))
            .Select(v => (v.Video, v.Outcome, v.Key, Camera: PlateLayout.Camera(v.Key.Split('/')[^1])))
            .ToList();
        foreach (
            var plate in cameras.Where(c => c.Camera is not null).GroupBy(c => (Day(c.Key), c.Camera!.Value.Plate))
        )
        {
            var wells = new Dictionary<string, WellValue>(StringComparer.Ordinal);
            foreach (var camera in plate)
            foreach (var row in byKey.GetValueOrDefault(camera.Key) ?? [])
                if (row.Well is { } well)
                    wells[well] = row.Value;
            plates.Add(
                new PlateMap(
                    plate.Key.Item1,
                    plate.Key.Plate,
                    plate
                        .Select(c => (c.Camera!.Value.Serial, c.Outcome))
                        .OrderBy(c => c.Serial, StringComparer.Ordinal)
                        .ToList(),
                    wells
                )
            );
        }
        foreach (var single in cameras.Where(c => c.Camera is null))
            singles.Add(
                new VideoBar(Day(single.Key), single.Key, byKey.GetValueOrDefault(single.Key)?.FirstOrDefault()?.Value)
            );
        return (
            plates.OrderBy(p => p.Day, StringComparer.Ordinal).ThenBy(p => p.Name, StringComparer.Ordinal).ToList(),
            singles
        );
    }

    /// <summary>
    /// Run times of the ended tasks, the walltime asked, and the request the 95th percentile suggests.
    /// </summary>
    public static ResourceSummary Resources(IReadOnlyList<TaskRun> tasks)
    {
        var used = tasks.Select(t => t.Elapsed).OfType<TimeSpan>().Order().ToList();
        var asked = tasks.Select(t => t.Walltime).OfType<TimeSpan>().DefaultIfEmpty().Max();
        TimeSpan? suggested =
            used.Count == 0
                ? null
                : TimeSpan.FromMinutes(
                    Math.Ceiling(Percentile(used, SuggestedPercentile).TotalMinutes * SuggestedMargin)
                );
        var memory = tasks.Select(t => t.MaxRssBytes).OfType<long>().Order().ToList();
        long? suggestedMemory =
            memory.Count == 0
                ? null
                : (long)Math.Ceiling(Percentile(memory, SuggestedPercentile) * SuggestedMargin / Gibibyte) * Gibibyte;
        return new ResourceSummary(
            used,
            asked == TimeSpan.Zero ? null : asked,
            suggested,
            memory.Count == 0 ? null : memory[^1],
            suggestedMemory
        );
    }

    private const long Gibibyte = 1L << 30;

    /// <summary>The value below which <paramref name="share"/> of the sorted values lie (nearest rank).</summary>
    public static T Percentile<T>(IReadOnlyList<T> sorted, double share) =>
        sorted[Math.Clamp((int)Math.Ceiling(share * sorted.Count) - 1, 0, sorted.Count - 1)];

    /// <summary>
    /// <c>day/plate.1234/metadata.yaml</c> → <c>day/plate.1234</c>; <c>day/v.mp4</c> → <c>day/v</c>.
    /// </summary>
    public static string VideoKey(string video)
    {
        var slash = video.LastIndexOf('/');
        var name = video[(slash + 1)..];
        if (name is "metadata.yaml" && slash > 0)
            return video[..slash];
        var dot = name.LastIndexOf('.');
        return dot > 0 ? video[..(slash + 1 + dot)] : video;
    }

    /// <summary>
    /// A features file's video: <c>…/Results/day/plate.1234/metadata_featuresN.hdf5</c> → <c>day/plate.1234</c>,
    /// <c>…/Results/day/v_featuresN.hdf5</c> → <c>day/v</c>.
    /// </summary>
    public static string ResultKey(string file)
    {
        var results = file.LastIndexOf("/Results/", StringComparison.Ordinal);
        var path = results >= 0 ? file[(results + "/Results/".Length)..] : file;
        const string suffix = "_featuresN.hdf5";
        if (path.EndsWith("/metadata" + suffix, StringComparison.Ordinal))
            return path[..^("/metadata" + suffix).Length];
        return path.EndsWith(suffix, StringComparison.Ordinal) ? path[..^suffix.Length] : path;
    }

    private static string Day(string key) =>
        key.Contains('/', StringComparison.Ordinal) ? key[..key.IndexOf('/', StringComparison.Ordinal)] : "";
}
