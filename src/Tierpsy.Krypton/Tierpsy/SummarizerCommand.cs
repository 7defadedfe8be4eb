using System.Globalization;
using System.Text.Json;
using Tierpsy.Krypton.Remote;

namespace Tierpsy.Krypton.Tierpsy;

/// <summary>
/// The shell line that summarizes one imaging day: Tierpsy has no command for it, so it calls
/// <c>tierpsy.summary.collect.calculate_summaries</c> with the original workflow's positional arguments, through the
/// environment's <c>python</c>, with stdin from /dev/null.
/// </summary>
internal static class SummarizerCommand
{
    public static string Render(string dayFolder, SummarizerOptions o)
    {
        static string S(string value) => JsonSerializer.Serialize(value); // a JSON string is a valid Python string literal
        static string F(double? value) => S(value is { } v ? v.ToString("0.0###", CultureInfo.InvariantCulture) : "");
        var program = string.Join("; ",
            "import sys",
            "from tierpsy.summary.collect import calculate_summaries",
            "print(\"Caluclating feature summaries for directory: \")",
            "print(sys.argv[1])",
            "calculate_summaries(sys.argv[1], " +
            $"{S(SummarizerOptions.Word(o.FeatureType))}, {S(SummarizerOptions.Word(o.SummaryType))}, False, {(o.AbbreviateFeatures ? "True" : "False")}, False, " +
            $"{S(o.TimeWindows)}, {S(o.TimeUnits)}, {S(o.SelectFeatures)}, {S(o.KeywordsInclude)}, {S(o.KeywordsExclude)}, False, None, " +
            $"filter_time_min={F(o.FilterTimeMin)}, filter_travel_min={F(o.FilterTravelMin)}, filter_time_units={S(o.FilterTimeUnits)}, " +
            $"filter_distance_units={S(o.FilterDistanceUnits)}, filter_length_min={F(o.FilterLengthMin)}, filter_length_max={F(o.FilterLengthMax)}, " +
            $"filter_width_min={F(o.FilterWidthMin)}, filter_width_max={F(o.FilterWidthMax)})");
        return $"python -c {ShellQuote.Word(program)} {ShellQuote.Path(dayFolder)} < /dev/null";
    }
}
