namespace Tierpsy.Krypton.TestSupport;

/// <summary>The shared Tierpsy fixtures in <c>../shared/tierpsy/</c> beside the repository (see its README).</summary>
public static class Fixtures
{
    /// <summary>The folder <c>shared/tierpsy</c>.</summary>
    public static string TierpsyFolder
    {
        get
        {
            var folder = Path.GetFullPath(Path.Combine(ProcessRunner.RepositoryRoot(), "..", "shared", "tierpsy"));
            return Directory.Exists(folder) ? folder
                : throw new DirectoryNotFoundException($"The Tierpsy fixtures are expected in {folder} (the shared/ folder beside the repository).");
        }
    }

    /// <summary>The text of a fixture, by its path below <c>shared/tierpsy/</c>.</summary>
    public static string Read(string relativePath) => File.ReadAllText(Path.Combine(TierpsyFolder, relativePath));

    /// <summary>The files of a fixture folder, by their paths below <c>shared/tierpsy/</c>.</summary>
    public static IEnumerable<string> List(string folder, string pattern = "*") =>
        Directory.GetFiles(Path.Combine(TierpsyFolder, folder), pattern).Order().Select(f => Path.GetRelativePath(TierpsyFolder, f));
}
