using System.Text.RegularExpressions;

namespace KryptonTemplates.Build;

/// <summary>The totals that 'dotnet test' (Microsoft.Testing.Platform) prints at the end of a run.</summary>
internal sealed partial record TestTotals(int Passed, int Failed, int Skipped)
{
    /// <summary>Reads the last "Test run summary" block; null when there is none.</summary>
    public static TestTotals? Parse(string output)
    {
        var at = output.LastIndexOf("Test run summary:", StringComparison.Ordinal);
        if (at < 0)
            return null;
        var block = output[at..];
        int Count(string name) =>
            Field().Matches(block).FirstOrDefault(m => m.Groups[1].Value == name) is { } m
                ? int.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture)
                : 0;
        return new TestTotals(Count("succeeded"), Count("failed"), Count("skipped"));
    }

    [GeneratedRegex(@"^\s*(total|failed|succeeded|skipped):\s*(\d+)\s*$", RegexOptions.Multiline)]
    private static partial Regex Field();
}
