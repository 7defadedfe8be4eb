using System.Text;
using Tierpsy.Krypton.Text;

namespace Tierpsy.Krypton.Transfer;

/// <summary>
/// The shell script that gives verified files their real names: it moves them from a staging tree (the same
/// relative paths, below the project root so that a move is a rename) into place. A folder missing on the cluster
/// moves whole, one rename for all the files below it; files whose folder exists move into it, one <c>mv</c> per
/// folder. Copies that failed their check are deleted from the staging tree first, so no folder rename carries them.
/// </summary>
internal static class StagingMoves
{
    /// <summary>How many files one <c>mv</c> takes, far below any system's argument limit.</summary>
    private const int FilesPerMove = 500;

    /// <param name="staging">The staging tree (absolute).</param>
    /// <param name="root">The destination root (absolute).</param>
    /// <param name="verified">The files to move, relative to both.</param>
    /// <param name="rejected">Files in the staging tree to delete instead.</param>
    /// <param name="existingFolders">Folders below the root known to exist on the cluster.</param>
    public static string Script(
        string staging,
        string root,
        IReadOnlyCollection<string> verified,
        IReadOnlyCollection<string> rejected,
        IReadOnlySet<string> existingFolders
    )
    {
        var script = new StringBuilder();
        script.Append("cd ").Append(ShellQuote.Path(staging)).Append(" || exit 1\nst=0\n");
        foreach (var chunk in rejected.Chunk(FilesPerMove))
            script.Append("rm -f -- ").Append(ShellQuote.Join(chunk)).Append('\n');
        var byFolder = verified.GroupBy(f => HighestMissing(f, existingFolders), StringComparer.Ordinal);
        foreach (var group in byFolder.OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            if (group.Key.Length == 0)
            {
                AppendIntoFolders(script, root, group, "");
                continue;
            }
            // Another copy may have made the folder meanwhile: the rename then fails (a folder that is not empty is
            // never replaced), and the files move one folder at a time.
            var parent = Into(root, Parent(group.Key));
            script
                .Append("if ! { mkdir -p -- ")
                .Append(ShellQuote.Path(parent))
                .Append(" && mv -f -- ")
                .Append(ShellQuote.Word(group.Key))
                .Append(' ')
                .Append(ShellQuote.Path(parent + "/"))
                .Append(" 2>/dev/null; }; then\n");
            AppendIntoFolders(script, root, group, "  ");
            script.Append("fi\n");
        }
        return script.Append("exit $st\n").ToString();
    }

    private static void AppendIntoFolders(StringBuilder script, string root, IEnumerable<string> files, string indent)
    {
        foreach (
            var folder in files.GroupBy(Parent, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
        )
        {
            var target = Into(root, folder.Key);
            foreach (var chunk in folder.Order(StringComparer.Ordinal).Chunk(FilesPerMove))
                script
                    .Append(indent)
                    .Append("{ mkdir -p -- ")
                    .Append(ShellQuote.Path(target))
                    .Append(" && mv -f -- ")
                    .Append(ShellQuote.Join(chunk))
                    .Append(' ')
                    .Append(ShellQuote.Path(target + "/"))
                    .Append("; } || st=1\n");
        }
    }

    /// <summary>The highest folder of the path that is missing on the cluster; empty when its folder exists.</summary>
    private static string HighestMissing(string path, IReadOnlySet<string> existing)
    {
        for (var slash = path.IndexOf('/'); slash > 0; slash = path.IndexOf('/', slash + 1))
            if (!existing.Contains(path[..slash]))
                return path[..slash];
        return "";
    }

    private static string Into(string root, string folder) =>
        folder.Length == 0 ? root : RemotePath.Combine(root, folder);

    private static string Parent(string path) => path.LastIndexOf('/') is var slash and > 0 ? path[..slash] : "";

    /// <summary>Every folder that holds one of the files (relative paths), up to the top.</summary>
    public static HashSet<string> FoldersOf(IEnumerable<string> files)
    {
        var folders = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in files)
            for (var folder = Parent(file); folder.Length > 0 && folders.Add(folder); folder = Parent(folder)) { }
        return folders;
    }
}
