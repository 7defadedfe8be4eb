using System.Globalization;
using System.Text;

namespace Tierpsy.Krypton.Templates.Tests;

/// <summary>A whole folder as one reviewable text: the file list with Unix modes, then every file's content.</summary>
internal static class TreeSnapshot
{
    public static string Render(string folder)
    {
        var files = Directory
            .EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(folder, f).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)
            .ToList();
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"{files.Count} files:");
        foreach (var file in files)
            text.AppendLine(CultureInfo.InvariantCulture, $"  {Mode(Path.Combine(folder, file))}  {file}");
        foreach (var file in files)
        {
            text.AppendLine();
            text.AppendLine(CultureInfo.InvariantCulture, $"=== {file} ===");
            var content = File.ReadAllText(Path.Combine(folder, file)).Replace("\r\n", "⏎\n", StringComparison.Ordinal);
            text.Append(content);
            if (content.Length > 0 && !content.EndsWith('\n'))
                text.AppendLine().AppendLine("(no newline at end of file)");
        }
        return text.ToString();
    }

    private static string Mode(string path) =>
        OperatingSystem.IsWindows()
            ? "---"
            : Convert.ToString((int)File.GetUnixFileMode(path) & 0b111_111_111, 8).PadLeft(3, '0');
}
