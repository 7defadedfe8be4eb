using System.Globalization;
using System.Text.Json;
using Tierpsy.Krypton.Remote;
using Tierpsy.Krypton.Text;

namespace Tierpsy.Krypton.Tierpsy;

/// <summary>
/// The shell line that summarizes one imaging day: Tierpsy has no command for it, so it calls
/// <c>tierpsy.summary.collect.calculate_summaries</c> through the environment's <c>python</c>, with stdin from
/// /dev/null. The first six arguments are positional; every later one goes by keyword, because the signatures
/// differ after <c>_is_debug</c>: Tierpsy 1.5.3a's 13th parameter is <c>n_parallel</c>, the 2020 code's
/// <c>append_to_file</c>.
/// </summary>
internal static class SummarizerCommand
{
    public static string Render(string dayFolder, SummarizerOptions o)
    {
        var program = string.Join(
            "; ",
            "import sys",
            "from tierpsy.summary.collect import calculate_summaries",
            "print(\"Caluclating feature summaries for directory: \")",
            "print(sys.argv[1])",
            $"calculate_summaries({string.Join(", ", Arguments(o))})"
        );
        return $"python -c {ShellQuote.Word(program)} {ShellQuote.Path(dayFolder)} < /dev/null";
    }

    private static IEnumerable<string> Arguments(SummarizerOptions o)
    {
        yield return "sys.argv[1]";
        yield return Text(SummarizerOptions.Word(o.FeatureType));
        yield return Text(SummarizerOptions.Word(o.SummaryType));
        yield return "False"; // is_manual_index
        yield return o.AbbreviateFeatures ? "True" : "False";
        yield return "False"; // dorsal_side_known
        yield return $"time_windows={Text(o.TimeWindows)}";
        yield return $"time_units={Text(o.TimeUnits)}";
        yield return $"select_feat={Text(o.SelectFeatures)}";
        yield return $"keywords_include={Text(o.KeywordsInclude)}";
        yield return $"keywords_exclude={Text(o.KeywordsExclude)}";
        yield return "_is_debug=False";
        yield return $"filter_time_min={Number(o.FilterTimeMin)}";
        yield return $"filter_travel_min={Number(o.FilterTravelMin)}";
        yield return $"filter_time_units={Text(o.FilterTimeUnits)}";
        yield return $"filter_distance_units={Text(o.FilterDistanceUnits)}";
        yield return $"filter_length_min={Number(o.FilterLengthMin)}";
        yield return $"filter_length_max={Number(o.FilterLengthMax)}";
        yield return $"filter_width_min={Number(o.FilterWidthMin)}";
        yield return $"filter_width_max={Number(o.FilterWidthMax)}";
    }

    /// <summary>A Python string literal: a JSON string is one.</summary>
    private static string Text(string value) => JsonSerializer.Serialize(value);

    /// <summary>Tierpsy reads filter values as strings; an empty one turns the filter off.</summary>
    private static string Number(double? value) =>
        Text(value is { } v ? v.ToString("0.0###", CultureInfo.InvariantCulture) : "");
}
