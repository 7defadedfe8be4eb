using System.Globalization;
using System.Runtime.Serialization;
using System.Text.RegularExpressions;

namespace Tierpsy.Krypton.Tierpsy;

/// <summary>The features a summary is made of.</summary>
public enum FeatureType
{
    /// <summary>Tierpsy features (<c>*_featuresN.hdf5</c>).</summary>
    [EnumMember(Value = "tierpsy")]
    Tierpsy,

    /// <summary>OpenWorm features (<c>*_features.hdf5</c>).</summary>
    [EnumMember(Value = "openworm")]
    Openworm,
}

/// <summary>One row per what.</summary>
public enum SummaryType
{
    /// <summary>One row per file, or per well when the plate was split.</summary>
    [EnumMember(Value = "plate")]
    Plate,

    /// <summary>One row per trajectory.</summary>
    [EnumMember(Value = "trajectory")]
    Trajectory,

    /// <summary>Plate rows resampled in folds.</summary>
    [EnumMember(Value = "plate_augmented")]
    PlateAugmented,
}

/// <summary>
/// The arguments of Tierpsy's <c>calculate_summaries</c>, with the original workflow's values as defaults
/// (tests/fixtures/tierpsy/FORMATS.md §8.1).
/// </summary>
internal sealed partial record SummarizerOptions
{
    public FeatureType FeatureType { get; init; } = FeatureType.Tierpsy;
    public SummaryType SummaryType { get; init; } = SummaryType.Plate;

    /// <summary><c>0:end</c>, <c>0:300,300:600</c> (end-exclusive; <c>end</c> for the video's end).</summary>
    public string TimeWindows { get; init; } = "0:end";

    /// <summary><c>seconds</c> or <c>frame_numbers</c>.</summary>
    public string TimeUnits { get; init; } = "seconds";
    public string SelectFeatures { get; init; } = "all";
    public string KeywordsInclude { get; init; } = "";
    public string KeywordsExclude { get; init; } = "";
    public bool AbbreviateFeatures { get; init; }
    public double? FilterLengthMin { get; init; } = 700;
    public double? FilterLengthMax { get; init; } = 1300;
    public double? FilterWidthMin { get; init; } = 20;
    public double? FilterWidthMax { get; init; } = 200;
    public double? FilterTimeMin { get; init; }
    public double? FilterTravelMin { get; init; }
    public string FilterTimeUnits { get; init; } = "frame_numbers";
    public string FilterDistanceUnits { get; init; } = "microns";

    /// <summary>Every problem with these values; empty when they are valid.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (!TimeWindowsPattern().IsMatch(TimeWindows))
            problems.Add(
                $"--time-windows '{TimeWindows}' is not a list of start:end windows like 0:end or 0:300,300:600."
            );
        foreach (
            var (name, value, allowed) in new[]
            {
                ("--time-units", TimeUnits, new[] { "seconds", "frame_numbers" }),
                ("--filter-time-units", FilterTimeUnits, new[] { "seconds", "frame_numbers" }),
                ("--filter-distance-units", FilterDistanceUnits, new[] { "microns", "pixels" }),
            }
        )
            if (!allowed.Contains(value))
                problems.Add($"{name} must be {string.Join(" or ", allowed)}, not '{value}'.");
        foreach (
            var (name, min, max) in new[]
            {
                ("length", FilterLengthMin, FilterLengthMax),
                ("width", FilterWidthMin, FilterWidthMax),
            }
        )
        {
            if (min < 0 || max < 0)
                problems.Add($"--filter-{name}-min/max cannot be negative.");
            if (min is { } a && max is { } b && a >= b)
                problems.Add($"--filter-{name}-min ({a}) must be below --filter-{name}-max ({b}).");
        }
        if (FilterTimeMin < 0 || FilterTravelMin < 0)
            problems.Add("--filter-time-min and --filter-travel-min cannot be negative.");
        return problems;
    }

    /// <summary>
    /// Whether any trajectory filter is set (the compiled files are then named <c>…_filtered_traj_compiled.csv</c>).
    /// </summary>
    public bool Filtered =>
        new[] { FilterLengthMin, FilterLengthMax, FilterWidthMin, FilterWidthMax, FilterTimeMin, FilterTravelMin }.Any(
            v => v is not null
        );

    /// <summary>The summary kind in Tierpsy's file names: <c>tierpsy_plate</c>.</summary>
    public string Kind => $"{Word(FeatureType)}_{Word(SummaryType)}";

    /// <summary>One comment line that records these options in the joined files.</summary>
    public string Describe() =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"SUMMARIZER OPTIONS,{Kind},windows {TimeWindows} {TimeUnits},select {SelectFeatures},length "
                + $"{FilterLengthMin}-{FilterLengthMax},width {FilterWidthMin}-{FilterWidthMax},time "
                + $"{FilterTimeMin},travel {FilterTravelMin}"
        );

    internal static string Word(Enum value) =>
        value
            .GetType()
            .GetField(value.ToString())!
            .GetCustomAttributes(typeof(EnumMemberAttribute), false)
            .OfType<EnumMemberAttribute>()
            .Single()
            .Value!;

    [GeneratedRegex(@"^\d+(\.\d+)?:(\d+(\.\d+)?|end)(,\d+(\.\d+)?:(\d+(\.\d+)?|end))*$")]
    private static partial Regex TimeWindowsPattern();
}
