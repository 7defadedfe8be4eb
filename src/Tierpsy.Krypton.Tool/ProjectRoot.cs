namespace Tierpsy.Krypton.Tool;

/// <summary>Finds the scaffolded project that a folder belongs to.</summary>
internal static class ProjectRoot
{
    /// <summary>
    /// The nearest folder at or above <paramref name="start"/> that has <c>.krypton/</c>; null when there is none.
    /// </summary>
    public static string? Find(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            if (Directory.Exists(Path.Combine(dir.FullName, ".krypton")))
                return dir.FullName;
        return null;
    }
}
