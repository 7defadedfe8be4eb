using Tierpsy.Krypton.Transfer;

namespace Tierpsy.Krypton.Tests.Transfer;

/// <summary>The quick check of a cluster file against what its manifest entry recorded.</summary>
public class ManifestTests
{
    private static ManifestEntry Entry(string? remoteModified) =>
        new("Results/a.hdf5", 10, "hash", "/local/a.hdf5", DateTime.UnixEpoch, DateTimeOffset.UnixEpoch, remoteModified);

    [Theory]
    [InlineData("1795654783", 10, 1795654783, true)]
    [InlineData("1795654783.6057925710", 10, 1795654783, true)] // written by an older version, with find's fraction
    [InlineData("1795654783", 10, 1795654784, false)]           // touched since
    [InlineData("1795654783", 11, 1795654783, false)]           // grew since
    [InlineData(null, 10, 1795654783, false)]                   // never verified on the cluster
    [InlineData("garbage", 10, 1795654783, false)]
    public void A_cluster_file_looks_unchanged_only_with_the_recorded_size_and_second(string? recorded, long size, long modified, bool unchanged) =>
        Assert.Equal(unchanged, Entry(recorded).RemoteLooksUnchanged(new RemoteFile("Results/a.hdf5", size, modified, null)));
}
