using Tierpsy.Krypton.TestSupport;

namespace Tierpsy.Krypton.Tests;

/// <summary>What a fresh clone needs: everything its tests and stand-ins read is inside the repository.</summary>
public class RepositoryTests
{
    private static readonly string[] TextFiles =
    [
        ".cs",
        ".md",
        ".sh",
        ".cmd",
        ".json",
        ".csproj",
        ".props",
        ".targets",
        ".py",
        ".txt",
        ".yml",
        ".yaml",
    ];

    private static readonly string[] Skipped = ["bin", "obj", ".git", "artifacts", "TestResults", "fixtures"];

    /// <summary>
    /// The sibling folder the first fixtures came from (written in pieces, so this file does not name it).
    /// </summary>
    private static readonly string Sibling = string.Concat("sha", "red");

    [Fact]
    public void No_file_refers_to_a_folder_beside_the_repository()
    {
        var root = ProcessRunner.RepositoryRoot();
        var offending = Files(root)
            .Where(f =>
                File.ReadAllText(f) is var text
                && (
                    text.Contains($"../{Sibling}", StringComparison.Ordinal)
                    || text.Contains($"{Sibling}/tierpsy", StringComparison.Ordinal)
                    || text.Contains($"{Sibling}/cluster", StringComparison.Ordinal)
                )
            )
            .Select(f => Path.GetRelativePath(root, f))
            .ToList();

        Assert.True(
            offending.Count == 0,
            $"These files refer to ../{Sibling}, which a clone does not have; copy what they need into the "
                + $"repository (tests/fixtures/): {string.Join(", ", offending)}"
        );
    }

    private static IEnumerable<string> Files(string folder) =>
        Directory
            .EnumerateFiles(folder)
            .Where(f => TextFiles.Contains(Path.GetExtension(f)))
            .Concat(
                Directory
                    .EnumerateDirectories(folder)
                    .Where(d => !Skipped.Contains(Path.GetFileName(d)))
                    .SelectMany(Files)
            );
}
