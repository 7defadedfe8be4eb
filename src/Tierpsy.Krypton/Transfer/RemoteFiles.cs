using System.Globalization;
using Tierpsy.Krypton.Remote;

namespace Tierpsy.Krypton.Transfer;

/// <summary>A file on the cluster: its path below the listed root, size, and SHA-256 (null for partial uploads).</summary>
internal sealed record RemoteFile(string Path, long Size, string? Sha256);

/// <summary>
/// ONE command that lists files below some folders of a root with their sizes and SHA-256 (four hashing processes
/// in parallel), and its parser. Records end in NUL, so any file name survives. Partial uploads
/// (<c>*.krypton-partial</c>) are listed with their size but not hashed.
/// </summary>
internal static class RemoteFiles
{
    /// <summary>The suffix of a file that is still being copied.</summary>
    public const string PartialSuffix = ".krypton-partial";

    public static string Command(string root, IEnumerable<string> folders) =>
        $"cd {ShellQuote.Path(root)} 2>/dev/null || exit 0; " +
        $"find {string.Join(" ", folders.Select(ShellQuote.Word))} -type f -print0 2>/dev/null | xargs -0 -r -P 4 -n 64 sh -c " +
        ShellQuote.Word("for f; do s=$(stat -c %s -- \"$f\"); case \"$f\" in *" + PartialSuffix + ") h=-;; *) h=$(sha256sum -- \"$f\" | cut -d' ' -f1);; esac; printf '%s\\t%s\\t%s\\0' \"$s\" \"$h\" \"$f\"; done") +
        " sh";

    /// <summary>The files by their path below the root (<c>RawVideos/20210504/…</c>).</summary>
    public static IReadOnlyDictionary<string, RemoteFile> Parse(string output)
    {
        var files = new Dictionary<string, RemoteFile>(StringComparer.Ordinal);
        foreach (var record in output.Split('\0'))
        {
            var fields = record.TrimStart('\n').Split('\t', 3);
            if (fields.Length != 3 || !long.TryParse(fields[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var size)) continue;
            var path = fields[2].StartsWith("./", StringComparison.Ordinal) ? fields[2][2..] : fields[2];
            files[path] = new RemoteFile(path, size, fields[1] == "-" ? null : fields[1]);
        }
        return files;
    }

    public static async Task<IReadOnlyDictionary<string, RemoteFile>> ListAsync(IRemote remote, string root, IEnumerable<string> folders, CancellationToken cancellationToken)
    {
        var result = await remote.RunAsync(Command(root, folders), TimeSpan.FromHours(2), cancellationToken);
        if (result.ExitCode != 0)
            throw new RemoteException($"Listing the files below {root} on {remote.Description} failed (exit code {result.ExitCode}): {result.Error.Trim()}");
        return Parse(result.Output);
    }
}
