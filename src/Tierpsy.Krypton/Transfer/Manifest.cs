using System.Globalization;
using System.Text.Json;

namespace Tierpsy.Krypton.Transfer;

/// <summary>One file that was copied and verified.</summary>
/// <param name="Path">Its path below the project root on the cluster (<c>RawVideos/20210504/…</c>).</param>
/// <param name="Size">Its size in bytes.</param>
/// <param name="Sha256">Its SHA-256, equal on both sides when it was recorded.</param>
/// <param name="LocalPath">The local file: the staged source, or the retrieved copy.</param>
/// <param name="LocalModified">The local file's last write time (UTC) when it was recorded.</param>
/// <param name="Time">When it was recorded.</param>
/// <param name="RemoteModified">
/// The cluster file's modification time in seconds since 1970 when it was verified (older manifests also kept a
/// fraction, which is ignored).</param>
internal sealed record ManifestEntry(
    string Path,
    long Size,
    string Sha256,
    string LocalPath,
    DateTime LocalModified,
    DateTimeOffset Time,
    string? RemoteModified = null
)
{
    /// <summary>
    /// Whether a cluster file still looks as verified: same size and time (a quick check like rsync's).
    /// </summary>
    internal bool RemoteLooksUnchanged(RemoteFile file) =>
        file.Size == Size
        && RemoteModified is not null
        && long.TryParse(
            RemoteModified.Split('.')[0],
            NumberStyles.Integer,
            CultureInfo.InvariantCulture,
            out var seconds
        )
        && seconds == file.Modified;

    /// <summary>How <see cref="RemoteModified"/> is written.</summary>
    internal static string Seconds(long modified) => modified.ToString(CultureInfo.InvariantCulture);

    /// <summary>Whether the local file still has the recorded size and time (no hashing).</summary>
    public bool LocalLooksUnchanged()
    {
        var info = new FileInfo(LocalPath);
        return info.Exists && info.Length == Size && info.LastWriteTimeUtc == LocalModified;
    }

    /// <summary>
    /// Whether the local file still has the recorded content: size and time, or with <paramref name="rehash"/> a fresh
    /// SHA-256.
    /// </summary>
    public async Task<bool> LocalMatchesAsync(bool rehash, CancellationToken cancellationToken)
    {
        if (!rehash)
            return LocalLooksUnchanged();
        return File.Exists(LocalPath)
            && new FileInfo(LocalPath).Length == Size
            && await FileHash.Sha256Async(LocalPath, cancellationToken) == Sha256;
    }
}

/// <summary>A stage or retrieve manifest in <c>.krypton/state/</c>: what was copied, verified by SHA-256.</summary>
internal sealed class Manifest
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };
    private readonly Dictionary<string, ManifestEntry> _entries;
    private bool _changed;

    private Manifest(string file, IEnumerable<ManifestEntry> entries)
    {
        File = file;
        _entries = entries.ToDictionary(e => e.Path, StringComparer.Ordinal);
    }

    /// <summary>Where the manifest is kept.</summary>
    public string File { get; }

    /// <summary>Every entry.</summary>
    public IReadOnlyCollection<ManifestEntry> Entries => _entries.Values;

    /// <summary>The entry of a cluster path, or null.</summary>
    public ManifestEntry? this[string path] => _entries.GetValueOrDefault(path);

    /// <summary>Reads a manifest; an empty one when the file does not exist.</summary>
    public static Manifest Load(string file) =>
        new(
            file,
            System.IO.File.Exists(file)
                ? JsonSerializer.Deserialize<List<ManifestEntry>>(System.IO.File.ReadAllText(file), Json) ?? []
                : []
        );

    /// <summary>Adds or replaces an entry.</summary>
    public void Set(ManifestEntry entry)
    {
        lock (_entries)
        {
            _entries[entry.Path] = entry;
            _changed = true;
        }
    }

    /// <summary>
    /// Whether the manifest has <paramref name="path"/> from <paramref name="localPath"/> and the local file still has
    /// the recorded size and time.
    /// </summary>
    public bool LooksRecorded(string path, string localPath) => Unchanged(path, localPath) is not null;

    /// <summary>The SHA-256 of a local file, reused from the manifest when its size and time are unchanged.</summary>
    public async Task<string> HashAsync(string path, string localPath, CancellationToken cancellationToken) =>
        Unchanged(path, localPath)?.Sha256 ?? await FileHash.Sha256Async(localPath, cancellationToken);

    /// <summary>
    /// The entry of <paramref name="path"/> if it was recorded from <paramref name="localPath"/> and that file still
    /// has the recorded size and time.
    /// </summary>
    private ManifestEntry? Unchanged(string path, string localPath)
    {
        ManifestEntry? known;
        lock (_entries)
            known = _entries.GetValueOrDefault(path);
        return known is not null && known.LocalPath == localPath && known.LocalLooksUnchanged() ? known : null;
    }

    /// <summary>
    /// Writes the manifest whole to a temporary file, then renames it; nothing when no entry was set since it was read.
    /// </summary>
    public void Save()
    {
        lock (_entries)
            if (!_changed)
                return;
        Directory.CreateDirectory(Path.GetDirectoryName(File)!);
        List<ManifestEntry> entries;
        lock (_entries)
            entries = _entries.Values.OrderBy(e => e.Path, StringComparer.Ordinal).ToList();
        System.IO.File.WriteAllText(File + ".tmp", JsonSerializer.Serialize(entries, Json));
        System.IO.File.Move(File + ".tmp", File, overwrite: true);
    }
}
