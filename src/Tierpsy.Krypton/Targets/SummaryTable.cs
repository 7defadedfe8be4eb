using Tierpsy.Krypton.Text;

namespace Tierpsy.Krypton.Targets;

/// <summary>The table printed after a build: one row per planned target.</summary>
internal static class SummaryTable
{
    public static string Render(IReadOnlyList<TargetResult> results)
    {
        var nameWidth = Math.Max("Target".Length, results.Max(r => r.Name.Length));
        const int statusWidth = 9; // "Succeeded"
        var rows = results
            .Select(r =>
                Row(
                    r.Name,
                    r.Status.ToString(),
                    r.Status is TargetStatus.NotRun or TargetStatus.Skipped && r.Duration == TimeSpan.Zero
                        ? ""
                        : DurationText.Clock(r.Duration),
                    r.Note
                )
            )
            .ToList();
        var width = Math.Max(40, rows.Max(r => r.TrimEnd().Length));
        string Row(string a, string b, string c, string d) =>
            $"{a.PadRight(nameWidth)}  {b.PadRight(statusWidth)}  {c.PadLeft(8)}  {d}".TrimEnd();

        var lines = new List<string> { new('═', width), Row("Target", "Status", "Duration", "Note"), new('─', width) };
        lines.AddRange(rows);
        lines.Add(new string('─', width));
        lines.Add(
            Row("Total", "", DurationText.Clock(results.Aggregate(TimeSpan.Zero, (sum, r) => sum + r.Duration)), "")
        );
        lines.Add(new string('═', width));
        return string.Join(Environment.NewLine, lines) + Environment.NewLine;
    }
}
