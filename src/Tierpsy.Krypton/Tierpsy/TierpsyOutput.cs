using PureHDF;

namespace Tierpsy.Krypton.Tierpsy;

/// <summary>
/// Checks that a retrieved file is a complete Tierpsy output: an HDF5 file with the /provenance_tracking group.
/// </summary>
internal static class TierpsyOutput
{
    /// <summary>Null when the file is complete; otherwise why not.</summary>
    public static string? Problem(string path)
    {
        try
        {
            using var file = H5File.OpenRead(path);
            return file.LinkExists("provenance_tracking")
                ? null
                : "an HDF5 file without the /provenance_tracking group: Tierpsy did not finish writing it";
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return $"not a readable HDF5 file ({e.Message})";
        }
    }
}
