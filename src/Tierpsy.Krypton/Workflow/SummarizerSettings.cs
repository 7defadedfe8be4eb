using Tierpsy.Krypton.Targets;
using Tierpsy.Krypton.Tierpsy;

namespace Tierpsy.Krypton.Workflow;

/// <summary>
/// The options of Tierpsy's summarizer, one parameter each (<c>--time-windows</c>, <c>--filter-length-min</c>, ...).
/// A build script changes them in code by overriding <c>ConfigureSummarizer</c>.
/// </summary>
public sealed record SummarizerSettings
{
    private static readonly SummarizerOptions Defaults = new();

    /// <summary>The features summarized.</summary>
    [Parameter("Summarizer: features to summarize")]
    public FeatureType FeatureType { get; set; } = Defaults.FeatureType;

    /// <summary>One row per plate (or well), trajectory, or augmented plate.</summary>
    [Parameter("Summarizer: one row per plate (well), trajectory or augmented plate")]
    public SummaryType SummaryType { get; set; } = Defaults.SummaryType;

    /// <summary>Time windows, <c>0:end</c> or <c>0:300,300:600</c>.</summary>
    [Parameter("Summarizer: time windows, 0:end or 0:300,300:600")]
    public string TimeWindows { get; set; } = Defaults.TimeWindows;

    /// <summary>Unit of the time windows: <c>seconds</c> or <c>frame_numbers</c>.</summary>
    [Parameter("Summarizer: seconds or frame_numbers")]
    public string TimeUnits { get; set; } = Defaults.TimeUnits;

    /// <summary>Feature set (<c>all</c> or a Tierpsy feature set name).</summary>
    [Parameter("Summarizer: feature set (all, or a Tierpsy set name)")]
    public string SelectFeatures { get; set; } = Defaults.SelectFeatures;

    /// <summary>Keep features whose names contain these words.</summary>
    [Parameter("Summarizer: keep features whose names contain these words")]
    public string KeywordsInclude { get; set; } = Defaults.KeywordsInclude;

    /// <summary>Drop features whose names contain these words.</summary>
    [Parameter("Summarizer: drop features whose names contain these words")]
    public string KeywordsExclude { get; set; } = Defaults.KeywordsExclude;

    /// <summary>Shorten feature names.</summary>
    [Parameter("Summarizer: shorten feature names (velocity → vel, ...)")]
    public bool AbbreviateFeatures { get; set; } = Defaults.AbbreviateFeatures;

    /// <summary>Shortest mean worm length kept, µm.</summary>
    [Parameter("Summarizer: trajectories' minimum mean worm length (µm)")]
    public double? FilterLengthMin { get; set; } = Defaults.FilterLengthMin;

    /// <summary>Longest mean worm length kept, µm.</summary>
    [Parameter("Summarizer: trajectories' maximum mean worm length (µm)")]
    public double? FilterLengthMax { get; set; } = Defaults.FilterLengthMax;

    /// <summary>Narrowest mean midbody width kept, µm.</summary>
    [Parameter("Summarizer: trajectories' minimum mean width (µm)")]
    public double? FilterWidthMin { get; set; } = Defaults.FilterWidthMin;

    /// <summary>Widest mean midbody width kept, µm.</summary>
    [Parameter("Summarizer: trajectories' maximum mean width (µm)")]
    public double? FilterWidthMax { get; set; } = Defaults.FilterWidthMax;

    /// <summary>Shortest trajectory kept, in frames.</summary>
    [Parameter("Summarizer: shortest trajectory kept")]
    public double? FilterTimeMin { get; set; } = Defaults.FilterTimeMin;

    /// <summary>Shortest distance travelled, in µm.</summary>
    [Parameter("Summarizer: shortest distance travelled")]
    public double? FilterTravelMin { get; set; } = Defaults.FilterTravelMin;

    internal SummarizerOptions ToOptions() =>
        new()
        {
            FeatureType = FeatureType,
            SummaryType = SummaryType,
            TimeWindows = TimeWindows,
            TimeUnits = TimeUnits,
            SelectFeatures = SelectFeatures,
            KeywordsInclude = KeywordsInclude,
            KeywordsExclude = KeywordsExclude,
            AbbreviateFeatures = AbbreviateFeatures,
            FilterLengthMin = FilterLengthMin,
            FilterLengthMax = FilterLengthMax,
            FilterWidthMin = FilterWidthMin,
            FilterWidthMax = FilterWidthMax,
            FilterTimeMin = FilterTimeMin,
            FilterTravelMin = FilterTravelMin,
        };
}
