using System.Buffers;
using System.Text.RegularExpressions;
using Tierpsy.Krypton.Remote;
using Tierpsy.Krypton.Text;

namespace Tierpsy.Krypton.Transfer;

/// <summary>
/// A file on the cluster: its path below the listed root, size, modification time (whole seconds since 1970), and
/// SHA-256 when asked.
/// </summary>
internal sealed record RemoteFile(string Path, long Size, long Modified, string? Sha256);

/// <summary>
/// Lists files on the cluster (<see cref="IRemote.ListFilesAsync"/>) and hashes them in ONE command: a few small
/// ones named on its command line (<see cref="DirectHashCommand"/>), any others from a list file by four hashing
/// processes in parallel (<see cref="HashCommand"/>). Any file name survives either. Partial copies
/// (<c>*.krypton-partial</c>) are never hashed unless asked.
/// </summary>
internal static partial class RemoteFiles
{
    /// <summary>The suffix of a file that is still being copied.</summary>
    public const string PartialSuffix = ".krypton-partial";

    /// <summary>
    /// Prints a SHA-256 and path, NUL-terminated, for each path of a NUL-separated list file, four hashing processes at
    /// a time, then each file's size and time as <see cref="FileListing.Command"/> does. Files go in four batches to
    /// ONE <c>openssl dgst</c> each (it uses the CPU's SHA instructions and is several times faster than
    /// <c>sha256sum</c>; starting it costs about 11 ms, so one per file cost 50 files 0.6 CPU-s more); <c>sha256sum</c>
    /// where there is no <c>openssl</c>. Names with a newline or a backslash, which both tools print escaped, are
    /// hashed one by one.
    /// </summary>
    /// <param name="root">The folder the listed paths are relative to.</param>
    /// <param name="listFile">The list file; it is deleted afterwards.</param>
    /// <param name="count">How many paths the list holds.</param>
    /// <param name="plain">
    /// No name starts with a dash or holds a newline or a backslash: each batch then goes to the hashing tool as it
    /// is, without the shell loop that sorts names out (for 10,000 names the loop took seconds).
    /// </param>
    public static string HashCommand(string root, string listFile, int count, bool plain = false)
    {
        // One file whose name the tools would escape: its hash only, then the name as it is.
        const string one =
            "h=$(openssl dgst -sha256 -r \"./$f\" 2>/dev/null || sha256sum -- \"$f\"); h=${h#\\\\}; printf "
            + "'%s\\t%s\\0' \"${h%% *}\" \"$f\"";
        // The others become the batch's arguments (as ./name, so a leading dash is no option); both tools print
        // "hash *./name" or "hash  ./name" lines, which become NUL-terminated records.
        const string batch =
            "n=$#; for f; do case $f in *\\\\*|*\"$nl\"*) "
            + one
            + ";; *) set -- \"$@\" \"./$f\";; esac; done; shift $n; "
            + "if [ $# -gt 0 ]; then if command -v openssl >/dev/null 2>&1; then openssl dgst -sha256 -r \"$@\"; else "
            + "sha256sum -- \"$@\"; fi 2>/dev/null | tr '\\n' '\\0'; fi";
        // One batch per hashing process: each batch starts four processes, milliseconds of CPU each on a busy login
        // node, so few batches cost less (docs/benchmarks.md, "Design measurements"). Batches of uneven size may end
        // at different times, but the copies that wait for these hashes take far longer than the hashing.
        var perBatch = Math.Clamp((count + 3) / 4, 1, 1024);
        // Each batch writes its own file: parallel writers on one pipe would split records at buffer boundaries.
        const string direct =
            "if command -v openssl >/dev/null 2>&1; then openssl dgst -sha256 -r \"$@\"; else sha256sum \"$@\"; fi "
            + "2>/dev/null | tr '\\n' '\\0'";
        var hasher = plain
            ? "{ " + direct + "; } > \"$0/$$\""
            : "nl=$(printf '\\nx'); nl=${nl%x}; { " + batch + "; } > \"$0/$$\"";
        var outputs = ShellQuote.Path(listFile + ".out");
        // The same files' sizes and times as a listing gives them, so the caller needs no second listing.
        const string times = $"find \"$@\" -maxdepth 0 -type f -printf {FileListing.FindFormat} 2>/dev/null; true";
        return $"cd {ShellQuote.Path(root)} && mkdir -p -- {outputs} && xargs -0 -r -P 4 -n {perBatch} sh -c "
            + $"{ShellQuote.Word(hasher)} {outputs} < {ShellQuote.Path(listFile)}; "
            + $"cat {outputs}/* 2>/dev/null; xargs -0 -r sh -c {ShellQuote.Word(times)} sh < "
            + $"{ShellQuote.Path(listFile)}; rm -rf -- {outputs} {ShellQuote.Path(listFile)}";
    }

    /// <summary>
    /// The same records as <see cref="HashCommand"/> (newline-terminated where that has NUL: see
    /// <see cref="HashPathsAsync"/>) for a few files named on the command line: <c>find</c> prints each file's size
    /// and time and starts ONE <c>openssl</c> for all of them. Two processes instead of a list file and a dozen
    /// around it: starting a process costs milliseconds of CPU on a busy login node, which is what
    /// Stage's verification rounds of a few files each cost most. Only where <see cref="SuitsOneCommandLine"/>.
    /// </summary>
    public static string DirectHashCommand(string root, IReadOnlyCollection<string> paths) =>
        FindHashCommand(root, paths, "-maxdepth 0 ");

    /// <summary>
    /// <c>find</c> from the start points prints each file's size and time and hands the files to as few hashing
    /// processes as the argument limit allows (<c>openssl dgst</c>; <c>sha256sum</c> where there is no openssl).
    /// </summary>
    private static string FindHashCommand(string root, IEnumerable<string> starts, string depth)
    {
        var from = ShellQuote.Join(starts);
        string Find(string hasher) =>
            $"exec find {from} {depth}-type f -printf {FileListing.FindFormat} -exec {hasher} {{}} + 2>/dev/null";
        return $"cd {ShellQuote.Path(root)} && if command -v openssl >/dev/null 2>&1; then "
            + $"{Find("openssl dgst -sha256 -r")}; else {Find("sha256sum --")}; fi";
    }

    /// <summary>
    /// Whether <see cref="DirectHashCommand"/> suits the paths: at most 64, none starting with a dash or holding a
    /// newline or a backslash (which the tools print escaped), and at most 256 MiB to hash, which one process hashes
    /// in a fraction of a second; more goes to <see cref="HashCommand"/>'s four at once.
    /// </summary>
    public static bool SuitsOneCommandLine(IReadOnlyCollection<string> paths, long bytes) =>
        paths.Count <= 64 && bytes <= 256L << 20 && paths.Sum(p => p.Length) <= 16_384 && paths.All(IsPlainName);

    /// <summary>
    /// A name the hashing tools print as it is and take as a file, not an option: it does not start with a dash and
    /// holds no newline or backslash (which both tools print escaped).
    /// </summary>
    public static bool IsPlainName(string path) => !path.StartsWith('-') && path.AsSpan().IndexOfAny('\n', '\\') < 0;

    private static readonly SearchValues<char> HexDigits = SearchValues.Create("0123456789abcdef");

    private static Dictionary<string, RemoteFile> ToFiles(IEnumerable<RemoteFileInfo> listed) =>
        listed.ToDictionary(f => f.Path, f => new RemoteFile(f.Path, f.Size, f.Modified, null), StringComparer.Ordinal);

    /// <summary>
    /// Reads both record forms of <see cref="HashCommand"/>: <c>hash\tpath</c>, and the tools' <c>hash  ./path</c> or
    /// <c>hash *./path</c>.
    /// </summary>
    public static IReadOnlyDictionary<string, string> ParseHashes(string output)
    {
        var hashes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var record in output.Split('\0'))
        {
            if (record.Length < 66 || record.AsSpan(0, 64).ContainsAnyExcept(HexDigits))
                continue;
            var path =
                record[64] == '\t' ? record[65..]
                : record[64] == ' ' && record[65] is ' ' or '*' && record.Length > 66 ? record[66..]
                : null;
            // The batch hashes "./name" (listed paths never start with "./" themselves).
            if (path is not null && record[64] != '\t' && path.StartsWith("./", StringComparison.Ordinal))
                path = path[2..];
            if (path is { Length: > 0 })
                hashes[path] = record[..64];
        }
        return hashes;
    }

    /// <summary>Sizes and times of every file below the folders (no hashing).</summary>
    public static async Task<IReadOnlyDictionary<string, RemoteFile>> ListAsync(
        IRemote remote,
        string root,
        IReadOnlyList<string> folders,
        CancellationToken ct
    ) => ToFiles(await remote.ListFilesAsync(root, folders, ct));

    /// <summary>
    /// The same files with the SHA-256 of those in <paramref name="hash"/> (all complete files when null), in one more
    /// command.
    /// </summary>
    public static async Task<IReadOnlyDictionary<string, RemoteFile>> HashAsync(
        IRemote remote,
        string root,
        IReadOnlyDictionary<string, RemoteFile> files,
        Func<RemoteFile, bool>? hash,
        CancellationToken ct,
        bool includePartials = false
    )
    {
        var wanted = files
            .Values.Where(f =>
                (includePartials || !f.Path.EndsWith(PartialSuffix, StringComparison.Ordinal))
                && (hash?.Invoke(f) ?? true)
            )
            .ToList();
        if (wanted.Count == 0)
            return files;
        var hashed = await HashPathsAsync(
            remote,
            root,
            wanted.Select(f => f.Path).ToList(),
            wanted.Sum(f => f.Size),
            ct
        );
        return files.ToDictionary(
            f => f.Key,
            f => hashed.GetValueOrDefault(f.Key)?.Sha256 is { } h ? f.Value with { Sha256 = h } : f.Value,
            StringComparer.Ordinal
        );
    }

    /// <summary>
    /// Each path below <paramref name="root"/> that exists, with its size, time and SHA-256 (one command;
    /// <paramref name="bytes"/> picks the hashing strategy). A file that could not be hashed has no SHA-256.
    /// </summary>
    public static async Task<IReadOnlyDictionary<string, RemoteFile>> HashPathsAsync(
        IRemote remote,
        string root,
        IReadOnlyCollection<string> paths,
        long bytes,
        CancellationToken ct
    )
    {
        if (paths.Count == 0)
            return new Dictionary<string, RemoteFile>();
        var direct = SuitsOneCommandLine(paths, bytes);
        var command = direct
            ? DirectHashCommand(root, paths)
            : HashCommand(
                root,
                await WriteListAsync(remote, root, "hash", paths, ct),
                paths.Count,
                paths.All(IsPlainName)
            );
        var result = await remote.RunAsync(command, CommandTimeouts.HashTree, ct);
        // The direct command's hash lines end in a newline; its names have none, so every newline ends a record.
        return HashedFiles(direct ? result.Output.Replace('\n', '\0') : result.Output);
    }

    /// <summary>The files of a hash command's records: each listed file with the hash printed for it, if any.</summary>
    private static Dictionary<string, RemoteFile> HashedFiles(string output)
    {
        var hashes = ParseHashes(output);
        return ToFiles(FileListing.Parse(output))
            .ToDictionary(
                f => f.Key,
                f => f.Value with { Sha256 = hashes.GetValueOrDefault(f.Key) },
                StringComparer.Ordinal
            );
    }

    /// <summary>
    /// Every file below the <paramref name="folders"/> of <paramref name="root"/>, with its size, time and SHA-256, in
    /// one command: <c>find</c> lists them and starts as few hashing processes as the argument limit allows, where
    /// <see cref="HashPathsAsync"/> reads a list of names in shell loops. Only for names without a newline or a
    /// backslash (which the hashing tools print escaped) in folders not starting with a dash.
    /// </summary>
    public static async Task<IReadOnlyDictionary<string, RemoteFile>> HashTreeAsync(
        IRemote remote,
        string root,
        IReadOnlyCollection<string> folders,
        CancellationToken ct
    )
    {
        var result = await remote.RunAsync(FindHashCommand(root, folders, ""), CommandTimeouts.HashTree, ct);
        return HashedFiles(result.Output.Replace('\n', '\0'));
    }

    /// <summary>
    /// Deletes the files below <paramref name="root"/> in one command (a list file, so any number and any name fit).
    /// The exit status is that of the deletion, not of removing the list.
    /// </summary>
    public static Task<CommandResult> DeleteAsync(
        IRemote remote,
        string root,
        IReadOnlyCollection<string> paths,
        TimeSpan timeout,
        CancellationToken ct
    ) => EachInListAsync(remote, root, paths, "rm -f --", timeout, ct);

    /// <summary>
    /// Deletes the files below <paramref name="root"/> whose size and time (whole seconds) are still those given, in
    /// one command: each file is checked by <c>stat</c> just before its <c>rm</c>, so one that changed since it was
    /// hashed (Tierpsy wrote it again meanwhile) or is gone stays, and its path comes back in
    /// <see cref="DeletionResult.Changed"/>. The exit status is that of the deletions.
    /// </summary>
    public static async Task<DeletionResult> DeleteUnchangedAsync(
        IRemote remote,
        string root,
        IReadOnlyCollection<RemoteFile> files,
        TimeSpan timeout,
        CancellationToken ct
    )
    {
        const string check =
            "st=0; for r; do s=${r%% *}; r=${r#* }; t=${r%% *}; f=./${r#* }; "
            + "if [ \"$(stat -c '%s %Y' -- \"$f\" 2>/dev/null)\" = \"$s $t\" ]; then rm -f -- \"$f\" || st=1; else "
            + "printf '%s\\0' \"${f#./}\"; fi; done; exit $st";
        // One argument per file, "size time path", so a batch can never split a file's record.
        var result = await EachInListAsync(
            remote,
            root,
            files.Select(f => FormattableString.Invariant($"{f.Size} {f.Modified} {f.Path}")),
            $"sh -c {ShellQuote.Word(check)} sh",
            timeout,
            ct
        );
        return new DeletionResult(result, result.Output.Split('\0', StringSplitOptions.RemoveEmptyEntries));
    }

    /// <summary>
    /// Removes the folders that deleting <paramref name="deleted"/> (paths below <paramref name="root"/>) left empty,
    /// deepest first, up to but never including the top folders (<c>RawVideos</c>, <c>Results</c>, …): <c>rmdir</c>
    /// removes only an empty folder, so a folder that still holds anything, or held an empty folder Clean did not
    /// make, stays. Returns the folders removed.
    /// </summary>
    public static async Task<IReadOnlyList<string>> RemoveEmptiedFoldersAsync(
        IRemote remote,
        string root,
        IEnumerable<string> deleted,
        CancellationToken ct
    )
    {
        var folders = deleted
            .SelectMany(Ancestors)
            .Distinct(StringComparer.Ordinal)
            .OrderByDescending(f => f.Count(c => c == '/'))
            .ThenBy(f => f, StringComparer.Ordinal)
            .ToList();
        if (folders.Count == 0)
            return [];
        const string remove = "for d; do rmdir -- \"$d\" 2>/dev/null && printf '%s\\0' \"$d\"; done; true";
        var result = await EachInListAsync(
            remote,
            root,
            folders,
            $"sh -c {ShellQuote.Word(remove)} sh",
            CommandTimeouts.ManyFiles,
            ct
        );
        return result.Output.Split('\0', StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>
    /// How old a helper file (a list, an archive of small files), on the cluster or here, must be before a later run
    /// deletes it as the leftover of a run that was cut off: no run keeps one that long.
    /// </summary>
    public static readonly TimeSpan LeftoverAge = TimeSpan.FromHours(1);

    /// <summary>
    /// The project's own helper files directly below the root (hash and delete lists, <c>.list.out/</c> folders, the
    /// archives Retrieve packs small files into) that a run cut off before it removed them left behind; only those over
    /// an hour old, so a run using one now keeps it.
    /// </summary>
    public static async Task<IReadOnlyList<string>> LeftoverHelpersAsync(
        IRemote remote,
        string root,
        CancellationToken ct
    )
    {
        var found = await remote.RunAsync(
            $"cd {ShellQuote.Path(root)} 2>/dev/null && find . -mindepth 1 -maxdepth 1 "
                + "\\( -name '.krypton-*.list*' -o -name '.krypton-*.tar' \\) "
                + $"-mmin +{LeftoverAge.TotalMinutes:0} -printf '%P\\0'; true",
            CommandTimeouts.Query,
            ct
        );
        return found
            .Output.Split('\0', StringSplitOptions.RemoveEmptyEntries)
            .Where(n => HelperName().IsMatch(n))
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>
    /// Removes helper files named by <see cref="LeftoverHelpersAsync"/> (nothing whose name is not one).
    /// </summary>
    public static Task<CommandResult> RemoveHelpersAsync(
        IRemote remote,
        string root,
        IReadOnlyCollection<string> names,
        CancellationToken ct
    ) =>
        remote.RunAsync(
            $"cd {ShellQuote.Path(root)} && rm -rf -- "
                + string.Join(" ", names.Where(n => HelperName().IsMatch(n)).Select(ShellQuote.Word)),
            CommandTimeouts.ManyFiles,
            ct
        );

    [GeneratedRegex(@"^\.krypton-[a-z]+-[0-9a-f]{32}\.(list(\.out)?|tar)$")]
    private static partial Regex HelperName();

    /// <summary><c>Results/a/b/c.h5</c> → <c>Results/a/b</c>, <c>Results/a</c>: folders below the top one.</summary>
    private static IEnumerable<string> Ancestors(string path)
    {
        var top = path.IndexOf('/');
        for (var slash = path.LastIndexOf('/'); slash > top; slash = path.LastIndexOf('/', slash - 1))
            yield return path[..slash];
    }

    /// <summary>
    /// The SHA-256 of the first <c>Length</c> bytes of each file below <paramref name="root"/>, in one command: what a
    /// partial copy elsewhere must hold to be resumed. A file that cannot be read is left out.
    /// </summary>
    public static async Task<IReadOnlyDictionary<string, string>> PrefixHashesAsync(
        IRemote remote,
        string root,
        IReadOnlyCollection<(string Path, long Length)> files,
        CancellationToken ct
    )
    {
        // The tool is chosen once, as the other hash commands choose it: a fallback after a failed openssl would
        // hash what is left of the stream.
        const string hash =
            "if command -v openssl >/dev/null 2>&1; then t='openssl dgst -sha256 -r'; else t=sha256sum; fi; "
            + "for r; do n=${r%% *}; f=./${r#* }; [ -r \"$f\" ] || continue; h=$(head -c \"$n\" \"$f\" | $t) && "
            + "printf '%s %s\\0' \"${h%% *}\" \"${f#./}\"; done; true";
        var result = await EachInListAsync(
            remote,
            root,
            files.Select(f => FormattableString.Invariant($"{f.Length} {f.Path}")),
            $"sh -c {ShellQuote.Word(hash)} sh",
            CommandTimeouts.Batch,
            ct
        );
        return result
            .Output.Split('\0', StringSplitOptions.RemoveEmptyEntries)
            .Select(r =>
                (
                    Hash: r[..r.IndexOf(' ', StringComparison.Ordinal)],
                    Path: r[(r.IndexOf(' ', StringComparison.Ordinal) + 1)..]
                )
            )
            .ToDictionary(r => r.Path, r => r.Hash, StringComparer.Ordinal);
    }

    /// <summary>
    /// Runs <paramref name="command"/> below <paramref name="root"/> on the arguments (any number, any characters)
    /// through a list file and <c>xargs -0</c>, in one command; the exit status is the command's, not that of removing
    /// the list.
    /// </summary>
    private static async Task<CommandResult> EachInListAsync(
        IRemote remote,
        string root,
        IEnumerable<string> arguments,
        string command,
        TimeSpan timeout,
        CancellationToken ct
    )
    {
        var list = ShellQuote.Path(await WriteListAsync(remote, root, "delete", arguments, ct));
        return await remote.RunAsync(
            $"cd {ShellQuote.Path(root)} && xargs -0 -r {command} < {list}; status=$?; rm -f -- {list}; exit $status",
            timeout,
            ct
        );
    }

    /// <summary>
    /// Writes the paths NUL-separated (for <c>xargs -0</c>) to a new list file below the root; returns its path.
    /// </summary>
    public static async Task<string> WriteListAsync(
        IRemote remote,
        string root,
        string purpose,
        IEnumerable<string> paths,
        CancellationToken ct
    )
    {
        var list = RemotePath.Combine(root, $".krypton-{purpose}-{Guid.NewGuid():N}.list");
        await remote.WriteTextAsync(list, string.Concat(paths.Select(p => p + "\0")), ct);
        return list;
    }
}

/// <summary>
/// What <see cref="RemoteFiles.DeleteUnchangedAsync"/> did: the command's result, and the files it left because they
/// changed.
/// </summary>
internal sealed record DeletionResult(CommandResult Result, IReadOnlyList<string> Changed);
