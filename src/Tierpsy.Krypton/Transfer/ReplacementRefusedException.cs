namespace Tierpsy.Krypton.Transfer;

/// <summary>A file on the cluster that Stage would replace with a different local file.</summary>
/// <param name="RemotePath">The path below the project root on the cluster.</param>
/// <param name="LocalPath">The local file that would replace it.</param>
/// <param name="RecordedSource">The local file it was staged from, when the stage manifest records one.</param>
internal sealed record Replacement(string RemotePath, string LocalPath, string? RecordedSource);

/// <summary>
/// Stage refused to replace files on the cluster with different ones (their SHA-256 differ): two sources with the
/// same names, or a video changed since it was staged. Nothing was copied; <c>--replace</c> replaces them.
/// </summary>
internal sealed class ReplacementRefusedException(IReadOnlyList<Replacement> replacements)
    : IOException(Describe(replacements))
{
    /// <summary>The files that would have been replaced.</summary>
    public IReadOnlyList<Replacement> Replacements { get; } = replacements;

    private static string Describe(IReadOnlyList<Replacement> replacements)
    {
        var lines = replacements
            .Take(10)
            .Select(r =>
                $"  {r.RemotePath}: on the cluster it is "
                + (r.RecordedSource is { } s ? $"the copy of {s}" : "a file Stage did not record")
                + $", and {r.LocalPath} is a different file"
            );
        var more = replacements.Count > 10 ? $"\n  and {replacements.Count - 10} more" : "";
        var head =
            $"Stage would replace {replacements.Count} files on the cluster with different ones "
            + "of the same name; nothing was copied:";
        return $"""
            {head}
            {string.Join("\n", lines)}{more}
            If these are different videos with the same names, rename the folder of the new ones before staging them.
            If the new files are the right ones, run Stage --replace: the old videos' results, masked videos and
            Tmp/ files on the cluster then belong to the wrong video, and Stage names them.
            """;
    }
}
