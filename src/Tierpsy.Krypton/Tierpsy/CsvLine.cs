using System.Text;

namespace Tierpsy.Krypton.Tierpsy;

/// <summary>One CSV line: Tierpsy writes plain comma-separated fields; quoted fields (RFC 4180) are read too.</summary>
internal static class CsvLine
{
    public static string[] Split(string line)
    {
        if (!line.Contains('"', StringComparison.Ordinal))
            return line.Split(',');
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                    quoted = false;
                else
                    field.Append(c);
            }
            else if (c == '"')
                quoted = true;
            else if (c == ',')
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else
                field.Append(c);
        }
        if (quoted)
            throw new FormatException("a quoted field is not closed");
        fields.Add(field.ToString());
        return fields.ToArray();
    }

    /// <summary>Joins fields, quoting those that need it.</summary>
    public static string Join(IEnumerable<string> fields) =>
        string.Join(
            ",",
            fields.Select(f =>
                f.AsSpan().IndexOfAny(",\"\n\r") >= 0
                    ? "\"" + f.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""
                    : f
            )
        );
}
