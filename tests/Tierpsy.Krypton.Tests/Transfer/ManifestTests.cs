using Tierpsy.Krypton.TestSupport;
using Tierpsy.Krypton.Transfer;

namespace Tierpsy.Krypton.Tests.Transfer;

/// <summary>The quick check of a cluster file against what its manifest entry recorded.</summary>
public class ManifestTests
{
    private static ManifestEntry Entry(string? remoteModified) =>
        new(
            "Results/a.hdf5",
            10,
            "hash",
            "/local/a.hdf5",
            DateTime.UnixEpoch,
            DateTimeOffset.UnixEpoch,
            remoteModified
        );

    [Theory]
    [InlineData("1795654783", 10, 1795654783, true)]
    [InlineData("1795654783.6057925710", 10, 1795654783, true)] // written by an older version, with find's fraction
    [InlineData("1795654783", 10, 1795654784, false)] // touched since
    [InlineData("1795654783", 11, 1795654783, false)] // grew since
    [InlineData(null, 10, 1795654783, false)] // never verified on the cluster
    [InlineData("garbage", 10, 1795654783, false)]
    public void A_cluster_file_looks_unchanged_only_with_the_recorded_size_and_second(
        string? recorded,
        long size,
        long modified,
        bool unchanged
    ) =>
        Assert.Equal(
            unchanged,
            Entry(recorded).RemoteLooksUnchanged(new RemoteFile("Results/a.hdf5", size, modified, null))
        );

    [Fact]
    public void Save_rewrites_the_file_only_after_an_entry_was_set()
    {
        using var folder = new TempDirectory();
        var file = Path.Combine(folder.Path, "state", "stage-manifest.json");
        var first = Manifest.Load(file);
        first.Save();
        Assert.False(File.Exists(file)); // nothing recorded, nothing written

        first.Set(Entry("1795654783"));
        first.Save();
        var written = File.GetLastWriteTimeUtc(file);
        File.SetLastWriteTimeUtc(file, written.AddHours(-1));
        var again = Manifest.Load(file);
        again.Save();

        Assert.Equal(written.AddHours(-1), File.GetLastWriteTimeUtc(file)); // a no-op run leaves it alone
        Assert.Equal("1795654783", again["Results/a.hdf5"]!.RemoteModified);
    }
}
