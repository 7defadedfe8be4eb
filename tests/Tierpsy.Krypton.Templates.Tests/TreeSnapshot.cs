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

    /// <summary>
    /// The file in an approved folder that lists every file's Unix mode (build.sh must stay executable).
    /// </summary>
    private const string ModesFile = ".snapshot-modes";

    /// <summary>
    /// Compares <paramref name="folder"/> with the approved folder of real files (dotnet/templating's Snapshots/
    /// layout), so a difference shows as the file that changed: every file, byte for byte, and the modes. With
    /// KRYPTON_APPROVE=1 the approved folder is replaced by <paramref name="folder"/>'s files.
    /// </summary>
    public static void Verify(string folder, string approvedFolder)
    {
        var actual = Files(folder)
            .ToDictionary(f => f, f => File.ReadAllBytes(Path.Combine(folder, f)), StringComparer.Ordinal);
        var modes = string.Concat(actual.Keys.Select(f => $"{Mode(Path.Combine(folder, f))}  {f}\n"));
        if (Environment.GetEnvironmentVariable("KRYPTON_APPROVE") == "1")
        {
            if (Directory.Exists(approvedFolder))
                Directory.Delete(approvedFolder, recursive: true);
            foreach (var (file, bytes) in actual)
            {
                var target = Path.Combine(approvedFolder, file);
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.WriteAllBytes(target, bytes);
            }
            File.WriteAllText(Path.Combine(approvedFolder, ModesFile), modes);
            return;
        }
        Assert.True(
            Directory.Exists(approvedFolder),
            $"No approved snapshot {approvedFolder}: run with KRYPTON_APPROVE=1."
        );
        var approved = Files(approvedFolder).Where(f => f != ModesFile).ToList();
        Assert.Equal(approved, actual.Keys.ToList());
        foreach (var file in approved)
            Assert.True(
                File.ReadAllBytes(Path.Combine(approvedFolder, file)).AsSpan().SequenceEqual(actual[file]),
                $"{file} differs from {Path.Combine(approvedFolder, file)}; KRYPTON_APPROVE=1 accepts it (review the "
                    + $"diff)."
            );
        Assert.Equal(File.ReadAllText(Path.Combine(approvedFolder, ModesFile)), modes);
    }

    private static IEnumerable<string> Files(string folder) =>
        Directory
            .EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(folder, f).Replace('\\', '/'))
            .Order(StringComparer.Ordinal);

    private static string Mode(string path) =>
        OperatingSystem.IsWindows()
            ? "---"
            : Convert.ToString((int)File.GetUnixFileMode(path) & 0b111_111_111, 8).PadLeft(3, '0');
}
