namespace Tierpsy.Krypton.TestSupport;

/// <summary>
/// The Tierpsy fixtures in <c>tests/fixtures/tierpsy/</c>: real output of Tierpsy 1.5.3a, described in that folder's
/// README.md and FORMATS.md.
/// </summary>
public static class Fixtures
{
    /// <summary>The folder <c>tests/fixtures/tierpsy</c>.</summary>
    public static string TierpsyFolder => Folder("tierpsy");

    /// <summary>The text of a fixture, by its path below <c>tests/fixtures/tierpsy/</c>.</summary>
    public static string Read(string relativePath) => File.ReadAllText(Path.Combine(TierpsyFolder, relativePath));

    /// <summary>The files of a fixture folder, by their paths below <c>tests/fixtures/tierpsy/</c>.</summary>
    public static IEnumerable<string> List(string folder, string pattern = "*") =>
        Directory
            .GetFiles(Path.Combine(TierpsyFolder, folder), pattern)
            .Order()
            .Select(f => Path.GetRelativePath(TierpsyFolder, f));

    /// <summary>A folder below <c>tests/fixtures/</c>.</summary>
    public static string Folder(string name)
    {
        var folder = Path.Combine(ProcessRunner.RepositoryRoot(), "tests", "fixtures", name);
        return Directory.Exists(folder)
            ? folder
            : throw new DirectoryNotFoundException(
                $"The test fixtures are expected in {folder}, part of the repository."
            );
    }
}
