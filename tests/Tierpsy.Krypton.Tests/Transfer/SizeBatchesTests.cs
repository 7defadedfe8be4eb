using Tierpsy.Krypton.Transfer;

namespace Tierpsy.Krypton.Tests.Transfer;

/// <summary>How small files are cut into batches.</summary>
public class SizeBatchesTests
{
    [Theory]
    [InlineData(new long[] { 4, 4, 4, 4 }, 8, "4,4|4,4")]
    [InlineData(new long[] { 4, 5, 3 }, 8, "4|5,3")]
    [InlineData(new long[] { 20, 1, 1 }, 8, "20|1,1")] // larger than a batch: alone, not lost
    [InlineData(new long[] { 0, 0, 8 }, 8, "0,0,8")]
    [InlineData(new long[0], 8, "")]
    public void Items_keep_their_order_in_batches_of_at_most_the_limit(long[] sizes, long limit, string expected) =>
        Assert.Equal(expected, string.Join("|", SizeBatches.Of(sizes, s => s, limit).Select(b => string.Join(",", b))));
}
