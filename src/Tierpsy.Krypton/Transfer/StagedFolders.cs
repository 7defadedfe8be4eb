using System.Text.RegularExpressions;

namespace Tierpsy.Krypton.Transfer;

/// <summary>
/// Where Stage puts a source folder's files on the cluster: a day folder (<c>YYYYMMDD</c>) keeps its name below
/// <c>RawVideos/</c>; any other folder's content goes into <c>RawVideos/</c> itself.
/// </summary>
internal static partial class StagedFolders
{
    /// <summary>
    /// The cluster folder (below the project root) that receives <paramref name="localFolder"/>'s files.
    /// </summary>
    public static string ClusterFolder(string localFolder)
    {
        var name = Path.GetFileName(Path.TrimEndingDirectorySeparator(localFolder));
        return DayFolder().IsMatch(name) ? $"RawVideos/{name}" : "RawVideos";
    }

    /// <summary>
    /// The local files, one per staged folder that would receive it, that Stage copies to <paramref
    /// name="clusterPath"/>.
    /// </summary>
    public static IEnumerable<string> LocalCandidates(IEnumerable<string> stagedFolders, string clusterPath) =>
        stagedFolders
            .Select(folder => (folder, target: ClusterFolder(folder) + "/"))
            .Where(f => clusterPath.StartsWith(f.target, StringComparison.Ordinal))
            .Select(f =>
                Path.Combine(f.folder, clusterPath[f.target.Length..].Replace('/', Path.DirectorySeparatorChar))
            );

    [GeneratedRegex(@"^\d{8}$")]
    private static partial Regex DayFolder();
}
