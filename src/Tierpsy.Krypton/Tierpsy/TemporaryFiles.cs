namespace Tierpsy.Krypton.Tierpsy;

/// <summary>
/// Which video a file in Tierpsy's temporary folder belongs to. The runner works in
/// <c>Tmp/MaskedVideos/&lt;sub&gt;/</c> and <c>Tmp/Results/&lt;sub&gt;/</c>, mirroring the video's folder below
/// <c>RawVideos/</c>, with the output names of FORMATS.md section 6 (<c>&lt;b&gt;.hdf5</c>,
/// <c>&lt;b&gt;_skeletons.hdf5</c>, ...).
/// A video is named by its key <c>&lt;sub&gt;/&lt;b&gt;</c>: its folder below RawVideos/ and its name without the
/// extension.
/// </summary>
internal static class TemporaryFiles
{
    private static readonly string[] Suffixes =
    [
        "_skeletons",
        "_intensities",
        "_featuresN",
        "_trajectories",
        "_features",
        "_feat_manual",
        "_subsample",
    ];

    /// <summary>
    /// The key of the video a temporary file belongs to (a path below the project root, <c>Tmp/...</c>); null for any
    /// other file.
    /// </summary>
    public static string? VideoOf(string path) =>
        path.StartsWith("Tmp/", StringComparison.Ordinal) ? OutputVideoOf(path["Tmp/".Length..]) : null;

    /// <summary>
    /// The key of the video an output in the final folders belongs to (<c>Results/&lt;key&gt;_featuresN.hdf5</c>,
    /// <c>MaskedVideos/&lt;key&gt;.hdf5</c>, a path below the project root); null for any other file.
    /// </summary>
    public static string? OutputVideoOf(string path)
    {
        var parts = path.Split('/');
        if (parts.Length < 2 || parts[0] is not ("MaskedVideos" or "Results"))
            return null;
        var name = parts[^1];
        var stem = name.EndsWith(".wcon.zip", StringComparison.Ordinal)
            ? name[..^".wcon.zip".Length]
            : Path.GetFileNameWithoutExtension(name);
        foreach (var suffix in Suffixes)
            if (stem.EndsWith(suffix, StringComparison.Ordinal))
            {
                stem = stem[..^suffix.Length];
                break;
            }
        return string.Join('/', parts[1..^1].Append(stem));
    }

    /// <summary>
    /// The key of a raw video given by its path below <c>RawVideos/</c> (for Hydra,
    /// <c>&lt;day&gt;/&lt;camera&gt;/metadata.yaml</c>).
    /// </summary>
    public static string VideoKey(string pathBelowRawVideos)
    {
        var slash = pathBelowRawVideos.LastIndexOf('/');
        var name = pathBelowRawVideos[(slash + 1)..];
        var dot = name.LastIndexOf('.');
        return pathBelowRawVideos[..(slash + 1)] + (dot > 0 ? name[..dot] : name);
    }

    /// <summary>The features file whose existence says the video of <paramref name="key"/> is finished.</summary>
    public static string FeaturesFile(string key) => $"Results/{key}_featuresN.hdf5";
}
