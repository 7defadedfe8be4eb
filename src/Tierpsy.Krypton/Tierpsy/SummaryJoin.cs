using System.Globalization;

namespace Tierpsy.Krypton.Tierpsy;

/// <summary>The two summary files Tierpsy's summarizer wrote for one imaging day.</summary>
internal sealed record DaySummary(string Day, string FeaturesFile, string FilenamesFile);

/// <summary>What a join did.</summary>
/// <param name="Days">The days joined, in order.</param>
/// <param name="Files">Rows of the compiled filenames table.</param>
/// <param name="Rows">Rows of the compiled features table.</param>
/// <param name="Columns">Columns of the compiled features table.</param>
/// <param name="EmptyDays">
/// Days whose features table has no row: no trajectory passed the summarizer's filters. Their filenames rows are
/// joined and keep their file ids.
/// </param>
internal sealed record JoinReport(
    IReadOnlyList<string> Days,
    int Files,
    int Rows,
    int Columns,
    IReadOnlyList<string> EmptyDays
);

/// <summary>
/// Joins day summaries into one features table and one filenames table, with the semantics of tierpsy-tools-python's
/// compile_tierpsy_summaries: header comments of the first day; columns as the union by name in order of first
/// appearance (empty where a day lacks one); file_id offset per day by the running count of files (highest file_id +
/// 1); rows day by day in their order; field text copied unchanged. Streams: only the header lines are read twice, rows
/// go one at a time, so a 500-day, 3,000-column join needs memory for one row.
/// </summary>
internal static class SummaryJoin
{
    private const int MaxHeaderComments = 20;

    /// <param name="days">The days, in the order to join (sorted by day for reproducible output).</param>
    /// <param name="featuresOutput">The compiled features file; must not exist.</param>
    /// <param name="filenamesOutput">The compiled filenames file; must not exist.</param>
    /// <param name="extraHeader">
    /// Comment lines added after the first day's (joined days, options), without the leading '#'.</param>
    /// <param name="rewriteFilename">
    /// Maps each <c>filename</c> (cluster path) to what to write, e.g. a local path.</param>
    /// <exception cref="InvalidDataException">A malformed table; the message names the file and the line.</exception>
    public static JoinReport Join(
        IReadOnlyList<DaySummary> days,
        string featuresOutput,
        string filenamesOutput,
        IEnumerable<string> extraHeader,
        Func<string, string>? rewriteFilename = null
    )
    {
        if (days.Count == 0)
            throw new ArgumentException("There is no day summary to join.", nameof(days));
        foreach (var output in new[] { featuresOutput, filenamesOutput })
            if (File.Exists(output))
                throw new IOException(
                    $"{output} exists already; joins never overwrite. Move it away or choose another name."
                );
        var types = days.Select(d => SummaryType(d.FeaturesFile)).Distinct().ToList();
        if (types.Count > 1)
            throw new InvalidDataException(
                $"The day summaries are of different types ({string.Join(", ", types)}); join days made with the same "
                    + $"summary options."
            );

        var featureColumns = Union(days.Select(d => d.FeaturesFile));
        var filenameColumns = Union(days.Select(d => d.FilenamesFile));
        var extra = extraHeader.Select(l => "# " + l).ToList();
        var emptyDays = new List<string>();
        int files = 0,
            rows = 0,
            offset = 0;

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(featuresOutput))!);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(filenamesOutput))!);
        try
        {
            using (var features = new StreamWriter(featuresOutput + ".tmp"))
            using (var filenames = new StreamWriter(filenamesOutput + ".tmp"))
            {
                foreach (var line in HeaderComments(days[0].FeaturesFile).Concat(extra))
                    features.WriteLine(line);
                foreach (var line in HeaderComments(days[0].FilenamesFile).Concat(extra))
                    filenames.WriteLine(line);
                // No header row when no day has features, as Tierpsy writes a day without them.
                if (featureColumns.Length > 0)
                    features.WriteLine(CsvLine.Join(featureColumns));
                filenames.WriteLine(CsvLine.Join(filenameColumns));

                foreach (var day in days)
                {
                    var highest = -1;
                    foreach (var row in Rows(day.FilenamesFile, filenameColumns))
                    {
                        var id = FileId(row, day.FilenamesFile);
                        highest = Math.Max(highest, id.Value);
                        row.Values[id.Index] = (id.Value + offset).ToString(CultureInfo.InvariantCulture);
                        if (
                            rewriteFilename is not null
                            && Array.IndexOf(filenameColumns, "filename") is var f and >= 0
                            && row.Values[f].Length > 0
                        )
                            row.Values[f] = rewriteFilename(row.Values[f]);
                        filenames.WriteLine(CsvLine.Join(row.Values));
                        files++;
                    }
                    var dayRows = 0;
                    foreach (var row in Rows(day.FeaturesFile, featureColumns))
                    {
                        var id = FileId(row, day.FeaturesFile);
                        row.Values[id.Index] = (id.Value + offset).ToString(CultureInfo.InvariantCulture);
                        features.WriteLine(CsvLine.Join(row.Values));
                        dayRows++;
                    }
                    if (dayRows == 0)
                        emptyDays.Add(day.Day);
                    rows += dayRows;
                    offset += highest + 1;
                }
            }
        }
        catch
        {
            File.Delete(featuresOutput + ".tmp");
            File.Delete(filenamesOutput + ".tmp");
            throw;
        }
        File.Move(featuresOutput + ".tmp", featuresOutput);
        File.Move(filenamesOutput + ".tmp", filenamesOutput);
        return new JoinReport(days.Select(d => d.Day).ToList(), files, rows, featureColumns.Length, emptyDays);
    }

    /// <summary>
    /// <c>features_summary_tierpsy_plate_20261125_175344.csv</c> → <c>features_summary_tierpsy_plate__</c> (digits
    /// removed), as the reference compares.
    /// </summary>
    private static string SummaryType(string file) =>
        new(Path.GetFileNameWithoutExtension(file).Where(c => !char.IsAsciiDigit(c)).ToArray());

    private static IEnumerable<string> HeaderComments(string file) =>
        File.ReadLines(file).TakeWhile(l => l.StartsWith('#')).Take(MaxHeaderComments);

    /// <summary>
    /// The header of a table (the first line that is not a comment); null when the file holds comments only. Tierpsy
    /// writes a features table's header with its first row, so a day in which no trajectory passed the filters has
    /// a features file of comment lines only.
    /// </summary>
    private static (string[] Columns, int Line)? Header(string file)
    {
        var number = 0;
        foreach (var line in File.ReadLines(file))
        {
            number++;
            if (!line.StartsWith('#'))
                return (Split(line, file, number), number);
        }
        return null;
    }

    private static string[] Union(IEnumerable<string> files)
    {
        var columns = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in files)
        foreach (var column in Header(file)?.Columns ?? [])
            if (seen.Add(column))
                columns.Add(column);
        return columns.ToArray();
    }

    private sealed record Row(string[] Values, int Line, int FileIdIndex);

    /// <summary>
    /// The rows of a table with their values placed in <paramref name="columns"/> (empty where the table lacks one).
    /// </summary>
    private static IEnumerable<Row> Rows(string file, string[] columns)
    {
        if (Header(file) is not var (header, headerLine))
            yield break;
        var map = header.Select(c => Array.IndexOf(columns, c)).ToArray();
        var fileId = Array.IndexOf(columns, "file_id");
        if (Array.IndexOf(header, "file_id") < 0)
            throw new InvalidDataException($"{file} line {headerLine}: the header has no file_id column.");
        var number = 0;
        foreach (var line in File.ReadLines(file))
        {
            number++;
            if (number <= headerLine || line.Length == 0)
                continue;
            var fields = Split(line, file, number);
            if (fields.Length != header.Length)
                throw new InvalidDataException(
                    $"{file} line {number}: expected {header.Length} fields as in the header, found {fields.Length}. "
                        + $"The file is damaged (or a path holds a comma); nothing was joined."
                );
            var values = new string[columns.Length];
            Array.Fill(values, "");
            for (var i = 0; i < fields.Length; i++)
                values[map[i]] = fields[i];
            yield return new Row(values, number, fileId);
        }
    }

    private static (int Index, int Value) FileId(Row row, string file) =>
        int.TryParse(row.Values[row.FileIdIndex], NumberStyles.Integer, CultureInfo.InvariantCulture, out var id)
        && id >= 0
            ? (row.FileIdIndex, id)
            : throw new InvalidDataException(
                $"{file} line {row.Line}: file_id '{row.Values[row.FileIdIndex]}' is not a whole number. Nothing was "
                    + $"joined."
            );

    private static string[] Split(string line, string file, int number)
    {
        try
        {
            return CsvLine.Split(line);
        }
        catch (FormatException e)
        {
            throw new InvalidDataException($"{file} line {number}: {e.Message}. Nothing was joined.");
        }
    }
}
