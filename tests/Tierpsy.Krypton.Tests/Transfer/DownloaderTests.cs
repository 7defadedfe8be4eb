using Tierpsy.Krypton.Transfer;

namespace Tierpsy.Krypton.Tests.Transfer;

public class DownloaderTests
{
    [Theory]
    [InlineData(4, 2, 1)]    // the benchmark machine: one download at a time
    [InlineData(4, 1, 1)]
    [InlineData(4, 4, 2)]
    [InlineData(4, 8, 4)]    // a laptop with 8 cores: --transfers as given
    [InlineData(4, 64, 4)]
    [InlineData(1, 64, 1)]
    [InlineData(0, 8, 1)]    // never none
    public void Downloads_at_once_are_the_transfers_asked_for_but_at_most_one_per_two_cores(int transfers, int cores, int expected) =>
        Assert.Equal(expected, Downloader.AtOnce(transfers, cores));
}
