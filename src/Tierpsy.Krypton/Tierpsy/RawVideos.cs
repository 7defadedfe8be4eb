using System.IO.Enumeration;

namespace Tierpsy.Krypton.Tierpsy;

/// <summary>
/// Which video a file below <c>RawVideos/</c> on the cluster belongs to, as Tierpsy's listing sees the folder: a file
/// whose name matches the video pattern is a video itself; any other file belongs to the videos of its folder (a Hydra
/// imgstore's chunks and index belong to its <c>metadata.yaml</c>); a file in a folder without videos belongs to none.
/// </summary>
internal sealed class RawVideos
{
    private const string Top = "RawVideos/";
    private readonly string _pattern;
    private readonly ILookup<string, string> _videosByFolder;

    /// <param name="paths">Paths below the project root; those below <c>RawVideos/</c> are considered.</param>
    /// <param name="pattern">The file name pattern of the videos (<c>*</c> and <c>?</c>), e.g. <c>*.yaml</c>.</param>
    public RawVideos(IEnumerable<string> paths, string pattern)
    {
        _pattern = pattern;
        _videosByFolder = paths
            .Where(p => p.StartsWith(Top, StringComparison.Ordinal) && IsVideo(p))
            .ToLookup(Folder, Key, StringComparer.Ordinal);
    }

    /// <summary>
    /// The keys (<see cref="TemporaryFiles.VideoKey"/>) of the videos the file at <paramref name="path"/> belongs to.
    /// </summary>
    public IEnumerable<string> Of(string path) => IsVideo(path) ? [Key(path)] : _videosByFolder[Folder(path)];

    private static string Key(string path) => TemporaryFiles.VideoKey(path[Top.Length..]);

    private bool IsVideo(string path) =>
        FileSystemName.MatchesSimpleExpression(_pattern, path.AsSpan(path.LastIndexOf('/') + 1), ignoreCase: false);

    private static string Folder(string path) => path[..Math.Max(0, path.LastIndexOf('/'))];
}
