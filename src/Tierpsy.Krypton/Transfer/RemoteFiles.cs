using System.Globalization;
using Tierpsy.Krypton.Remote;

namespace Tierpsy.Krypton.Transfer;

/// <summary>A file on the cluster: its path below the listed root, size, modification time as find prints it, and SHA-256 when asked.</summary>
internal sealed record RemoteFile(string Path, long Size, string Modified, string? Sha256);

/// <summary>
/// Lists files on the cluster in ONE command: sizes and times with one <c>find</c>, and SHA-256 only where asked
/// (four hashing processes in parallel). Records end in NUL, so any file name survives. Partial copies
/// (<c>*.krypton-partial</c>) are never hashed.
/// </summary>
internal static class RemoteFiles
{
    /// <summary>The suffix of a file that is still being copied.</summary>
    public const string PartialSuffix = ".krypton-partial";

    public static string ListCommand(string root, IEnumerable<string> folders) =>
        $"cd {ShellQuote.Path(root)} 2>/dev/null || exit 0; find {string.Join(" ", folders.Select(ShellQuote.Word))} -type f -printf '%s\\t%T@\\t%p\\0' 2>/dev/null; true";

    /// <summary>
    /// Prints <c>hash\tpath\0</c> for each path of a NUL-separated list file, four hashing processes at a time.
    /// The batch size keeps all four busy for few large files and limits process starts for many small ones.
    /// </summary>
    public static string HashCommand(string root, string listFile, int count) =>
        $"cd {ShellQuote.Path(root)} && xargs -0 -r -P 4 -n {Math.Clamp((count + 15) / 16, 1, 256)} sh -c " +
        ShellQuote.Word("for f; do h=$(sha256sum -- \"$f\" | cut -d' ' -f1); printf '%s\\t%s\\0' \"$h\" \"$f\"; done") +
        $" sh < {ShellQuote.Path(listFile)}; rm -f -- {ShellQuote.Path(listFile)}";

    public static IReadOnlyDictionary<string, RemoteFile> ParseList(string output)
    {
        var files = new Dictionary<string, RemoteFile>(StringComparer.Ordinal);
        foreach (var record in output.Split('\0'))
        {
            var fields = record.Split('\t', 3);
            if (fields.Length != 3 || !long.TryParse(fields[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var size)) continue;
            files[fields[2]] = new RemoteFile(fields[2], size, fields[1], null);
        }
        return files;
    }

    public static IReadOnlyDictionary<string, string> ParseHashes(string output) =>
        output.Split('\0').Select(r => r.Split('\t', 2)).Where(r => r.Length == 2 && r[0].Length == 64)
            .ToDictionary(r => r[1], r => r[0], StringComparer.Ordinal);

    /// <summary>Sizes and times of every file below the folders (no hashing).</summary>
    public static async Task<IReadOnlyDictionary<string, RemoteFile>> ListAsync(IRemote remote, string root, IEnumerable<string> folders, CancellationToken ct)
    {
        var result = await remote.RunAsync(ListCommand(root, folders), TimeSpan.FromHours(1), ct);
        if (result.ExitCode != 0)
            throw new RemoteException($"Listing the files below {root} on {remote.Description} failed (exit code {result.ExitCode}): {result.Error.Trim()}");
        return ParseList(result.Output);
    }

    /// <summary>The same files with the SHA-256 of those in <paramref name="hash"/> (all complete files when null), in one more command.</summary>
    public static async Task<IReadOnlyDictionary<string, RemoteFile>> HashAsync(IRemote remote, string root, IReadOnlyDictionary<string, RemoteFile> files,
        Func<RemoteFile, bool>? hash, CancellationToken ct, bool includePartials = false)
    {
        var wanted = files.Values.Where(f => (includePartials || !f.Path.EndsWith(PartialSuffix, StringComparison.Ordinal)) && (hash?.Invoke(f) ?? true)).Select(f => f.Path).ToList();
        if (wanted.Count == 0) return files;
        var list = RemotePath.Combine(root, $".krypton-hash-{Guid.NewGuid():N}.list");
        await remote.WriteTextAsync(list, string.Concat(wanted.Select(p => p + "\0")), ct);
        var result = await remote.RunAsync(HashCommand(root, list, wanted.Count), TimeSpan.FromHours(2), ct);
        var hashes = ParseHashes(result.Output);
        return files.ToDictionary(f => f.Key, f => hashes.TryGetValue(f.Key, out var h) ? f.Value with { Sha256 = h } : f.Value, StringComparer.Ordinal);
    }
}
