namespace Tierpsy.Krypton.Targets;

/// <summary>
/// A normalized absolute local path. Path parameters are given relative to the project root and arrive as this
/// type; <c>RootDirectory / "Results"</c> joins paths.
/// </summary>
public sealed class AbsolutePath : IEquatable<AbsolutePath>
{
    private readonly string _path;

    private AbsolutePath(string path) => _path = path;

    /// <summary>
    /// Makes an absolute path from <paramref name="path"/>, taken relative to <paramref name="baseDirectory"/> when it
    /// is relative.
    /// </summary>
    public static AbsolutePath Create(string path, string? baseDirectory = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var expanded =
            path == "~" || path.StartsWith("~/", StringComparison.Ordinal)
                ? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile) + path[1..]
                : path;
        var full = Path.GetFullPath(expanded, baseDirectory ?? Directory.GetCurrentDirectory());
        var root = Path.GetPathRoot(full) ?? "";
        return new AbsolutePath(
            full.Length > root.Length ? full.TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar) : full
        );
    }

    /// <summary>The last segment of the path.</summary>
    public string Name => Path.GetFileName(_path);

    /// <summary>The containing folder, or null at the root.</summary>
    public AbsolutePath? Parent => Path.GetDirectoryName(_path) is { } p ? new AbsolutePath(p) : null;

    /// <summary>Joins a relative path.</summary>
    public static AbsolutePath operator /(AbsolutePath left, string right) => Create(right, left._path);

    /// <summary>The path as text.</summary>
    public static implicit operator string(AbsolutePath path) => path._path;

    /// <summary>This path relative to <paramref name="baseDirectory"/>, with forward slashes.</summary>
    public string RelativeTo(AbsolutePath baseDirectory) =>
        Path.GetRelativePath(baseDirectory._path, _path).Replace(Path.DirectorySeparatorChar, '/');

    /// <inheritdoc />
    public override string ToString() => _path;

    /// <inheritdoc />
    public bool Equals(AbsolutePath? other) => other is not null && _path == other._path;

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as AbsolutePath);

    /// <inheritdoc />
    public override int GetHashCode() => _path.GetHashCode(StringComparison.Ordinal);
}
