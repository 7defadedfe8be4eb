namespace Tierpsy.Krypton.Targets;

/// <summary>Finds the project a folder belongs to, for the build and for the tool alike.</summary>
internal static class ProjectRoot
{
    /// <summary>
    /// The nearest folder at or above <paramref name="start"/> that has <c>.krypton/</c>; null when there is none.
    /// </summary>
    public static string? Find(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            if (Directory.Exists(Path.Combine(dir.FullName, ParameterResolver.ParametersFolder)))
                return dir.FullName;
        return null;
    }
}
