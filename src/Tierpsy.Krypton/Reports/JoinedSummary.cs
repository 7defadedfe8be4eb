using System.Globalization;
using System.Text;

namespace Tierpsy.Krypton.Reports;

/// <summary>One row of the joined features table, tied to its file.</summary>
internal sealed record SummaryRow(string File, string? Well, WellValue Value);

/// <summary>
/// Reads the joined summaries (Summarize's <c>filenames_summary_…_compiled.csv</c> and
/// <c>features_summary_…_compiled.csv</c>): comment lines skipped, columns by name (their order differs between
/// runs), one row per well or per file.
/// </summary>
/// <remarks>
/// The features table of a large run is big (1,000 Hydra videos: 16,000 rows of 3,020 columns, 840 MiB), and the
/// page needs four of its columns. So it is read as bytes, a line at a time, and a row is cut only up to the last
/// column needed; nothing else is decoded.
/// </remarks>
internal static class JoinedSummary
{
    private const byte Comma = (byte)',';
    private const byte NewLine = (byte)'\n';

    /// <summary>The rows of the features table with their file names and the chosen feature's value.</summary>
    public static IReadOnlyList<SummaryRow> Read(Stream filenamesCsv, Stream featuresCsv, string feature)
    {
        var files = FileNames(filenamesCsv);
        var rows = new List<SummaryRow>();
        int[]? columns = null; // file_id, n_skeletons, well_name, the feature; -1 when missing
        var fields = new Range[4];
        foreach (var line in Lines(featuresCsv))
        {
            var text = line.Span;
            if (text.IsEmpty || text[0] == (byte)'#')
                continue;
            if (columns is null)
            {
                var header = Encoding.UTF8.GetString(text).TrimEnd('\r').Split(',');
                string[] wanted = ["file_id", "n_skeletons", "well_name", feature];
                columns = [.. wanted.Select(n => Array.IndexOf(header, n))];
                continue;
            }
            if (columns[0] < 0)
                continue;
            Cut(text, columns, fields);
            if (!files.TryGetValue(Encoding.UTF8.GetString(text[fields[0]]), out var file))
                continue;
            var well = columns[2] >= 0 && !text[fields[2]].IsEmpty ? Encoding.UTF8.GetString(text[fields[2]]) : null;
            var value = new WellValue(Number(text, columns[1], fields[1]), Number(text, columns[3], fields[3]));
            rows.Add(new SummaryRow(file, well, value));
        }
        return rows;
    }

    /// <summary>file_id → filename from the filenames table.</summary>
    private static Dictionary<string, string> FileNames(Stream csv)
    {
        var files = new Dictionary<string, string>(StringComparer.Ordinal);
        using var reader = new StreamReader(csv, Encoding.UTF8, leaveOpen: true);
        int id = -1,
            filename = -1;
        var headed = false;
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0 || line.StartsWith('#'))
                continue;
            var row = line.Split(',');
            if (!headed)
            {
                (headed, id, filename) = (true, Array.IndexOf(row, "file_id"), Array.IndexOf(row, "filename"));
                if (filename < 0)
                    filename = Array.IndexOf(row, "file_name"); // before Tierpsy 1.5.2
                continue;
            }
            if (id >= 0 && filename >= 0 && row.Length > Math.Max(id, filename))
                files[row[id]] = row[filename];
        }
        return files;
    }

    /// <summary>
    /// The ranges of the wanted columns in one row, cutting it only up to the last of them; a column the row is too
    /// short for gets an empty range.
    /// </summary>
    private static void Cut(ReadOnlySpan<byte> row, int[] columns, Range[] fields)
    {
        Array.Fill(fields, 0..0);
        var last = columns.Max();
        var (column, start) = (0, 0);
        while (true)
        {
            var comma = row[start..].IndexOf(Comma);
            var end = comma < 0 ? row.Length : start + comma;
            var field = comma < 0 && end > start && row[end - 1] == (byte)'\r' ? end - 1 : end;
            for (var i = 0; i < columns.Length; i++)
                if (columns[i] == column)
                    fields[i] = start..field;
            if (column == last || comma < 0)
                return;
            (column, start) = (column + 1, end + 1);
        }
    }

    /// <summary>Each line of the stream, without its newline, in a buffer that grows to the longest line.</summary>
    private static IEnumerable<ReadOnlyMemory<byte>> Lines(Stream stream)
    {
        var buffer = new byte[1 << 20];
        var (start, end) = (0, 0);
        while (true)
        {
            var newline = buffer.AsSpan(start, end - start).IndexOf(NewLine);
            if (newline >= 0)
            {
                yield return buffer.AsMemory(start, newline);
                start += newline + 1;
                continue;
            }
            if (start > 0)
            {
                buffer.AsSpan(start, end - start).CopyTo(buffer);
                (start, end) = (0, end - start);
            }
            if (end == buffer.Length)
                Array.Resize(ref buffer, buffer.Length * 2);
            var read = stream.Read(buffer, end, buffer.Length - end);
            if (read == 0)
            {
                if (end > start)
                    yield return buffer.AsMemory(start, end - start);
                yield break;
            }
            end += read;
        }
    }

    private static double? Number(ReadOnlySpan<byte> row, int column, Range field) =>
        column >= 0
        && double.TryParse(row[field], NumberStyles.Float, CultureInfo.InvariantCulture, out var v)
        && double.IsFinite(v)
            ? v
            : null;
}
