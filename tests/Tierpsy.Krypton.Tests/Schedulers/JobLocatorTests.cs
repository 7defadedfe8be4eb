using Tierpsy.Krypton.Schedulers;

namespace Tierpsy.Krypton.Tests.Schedulers;

public class JobLocatorTests
{
    /// <summary>Two arrays of a submission (tasks 1-3 and 4-5) and a plain job (task 6).</summary>
    private static readonly JobLocator Locator = new([
        new SubmittedChunk(new ArrayChunk(1, 0, 3), "700[].pbshost"),
        new SubmittedChunk(new ArrayChunk(2, 3, 2), "701[]"),
        new SubmittedChunk(new ArrayChunk(3, 5, 1), "702.pbshost"),
    ]);

    [Theory]
    [InlineData("700[1].pbshost", 1)]
    [InlineData("700[3].pbshost", 3)]
    [InlineData("701[2].torquehost", 5)] // the array known by its short id
    [InlineData("702.pbshost", 6)]
    public void A_sub_job_is_its_arrays_offset_plus_its_index_and_a_plain_job_its_only_task(string id, int task)
    {
        Assert.Equal(task, Locator.Locate(id));
    }

    [Theory]
    [InlineData("700[4].pbshost")] // beyond the array
    [InlineData("700[0].pbshost")]
    [InlineData("700[].pbshost")] // the array itself
    [InlineData("799[1].pbshost")] // another submission's
    [InlineData("700[99999999999].pbshost")] // more than an int
    [InlineData("x700[1].pbshost")]
    [InlineData("702[]")]
    public void Any_other_id_is_no_task(string id)
    {
        Assert.Null(Locator.Locate(id));
    }
}
