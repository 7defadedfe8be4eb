namespace Tierpsy.Krypton.Text;

/// <summary>Cluster paths: <c>~/</c> expansion and joining with forward slashes.</summary>
internal static class RemotePath
{
    /// <summary>Replaces a leading <c>~</c> by <paramref name="home"/>.</summary>
    public static string Expand(string path, string home) =>
        path == "~" ? home
        : path.StartsWith("~/", StringComparison.Ordinal) ? home.TrimEnd('/') + path[1..]
        : path;

    /// <summary>Joins with <c>/</c>, never doubling it.</summary>
    public static string Combine(string left, params string[] parts) =>
        parts.Aggregate(left, (a, b) => a.TrimEnd('/') + "/" + b.TrimStart('/'));

    /// <summary>The folder of a path.</summary>
    public static string Parent(string path) =>
        path.TrimEnd('/') is var p && p.LastIndexOf('/') is > 0 and var i ? p[..i] : "/";
}
