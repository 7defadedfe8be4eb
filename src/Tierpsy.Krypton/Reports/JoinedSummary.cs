using System.Globalization;

namespace Tierpsy.Krypton.Reports;

/// <summary>One row of the joined features table, tied to its file.</summary>
internal sealed record SummaryRow(string File, string? Well, WellValue Value);

/// <summary>
/// Reads the joined summaries (Summarize's <c>filenames_summary_…_compiled.csv</c> and
/// <c>features_summary_…_compiled.csv</c>): comment lines skipped, columns by name (their order differs between
/// runs), one row per well or per file.
/// </summary>
internal static class JoinedSummary
{
    /// <summary>The rows of the features table with their file names and the chosen feature's value.</summary>
    public static IReadOnlyList<SummaryRow> Read(string filenamesCsv, string featuresCsv, string feature)
    {
        var files = new Dictionary<string, string>(StringComparer.Ordinal);
        var (nameHeader, nameRows) = Table(filenamesCsv);
        var id = Array.IndexOf(nameHeader, "file_id");
        var filename = Array.IndexOf(nameHeader, "filename");
        if (filename < 0)
            filename = Array.IndexOf(nameHeader, "file_name"); // before Tierpsy 1.5.2
        foreach (var row in nameRows)
            if (id >= 0 && filename >= 0 && row.Length > Math.Max(id, filename))
                files[row[id]] = row[filename];
        var (header, rows) = Table(featuresCsv);
        int Column(string name) => Array.IndexOf(header, name);
        var (fileId, skeletons, well, value) = (
            Column("file_id"),
            Column("n_skeletons"),
            Column("well_name"),
            Column(feature)
        );
        return rows.Where(r => fileId >= 0 && r.Length > fileId && files.ContainsKey(r[fileId]))
            .Select(r => new SummaryRow(
                files[r[fileId]],
                well >= 0 && r.Length > well && r[well].Length > 0 ? r[well] : null,
                new WellValue(Number(r, skeletons), Number(r, value))
            ))
            .ToList();
    }

    private static (string[] Header, List<string[]> Rows) Table(string text)
    {
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal)
            .Split('\n')
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .ToList();
        return lines.Count == 0 ? ([], []) : (lines[0].Split(','), lines.Skip(1).Select(l => l.Split(',')).ToList());
    }

    private static double? Number(string[] row, int column) =>
        column >= 0
        && row.Length > column
        && double.TryParse(row[column], NumberStyles.Float, CultureInfo.InvariantCulture, out var v)
        && double.IsFinite(v)
            ? v
            : null;
}
