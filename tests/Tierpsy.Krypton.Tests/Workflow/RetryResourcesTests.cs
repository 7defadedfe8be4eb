using Tierpsy.Krypton.Schedulers;
using Tierpsy.Krypton.Text;
using Tierpsy.Krypton.Tierpsy;
using Tierpsy.Krypton.Workflow;

namespace Tierpsy.Krypton.Tests.Workflow;

public class RetryResourcesTests
{
    private static readonly Resources Current = new(TimeSpan.FromHours(30), Cpus: 2, Memory: "16gb");

    private static RetryCandidate Video(
        string name,
        TaskEndCause? cause,
        TimeSpan? walltime = null,
        string? memory = null
    ) => new(new TierpsyTask([$"/data/RawVideos/{name}"]), cause, walltime, memory);

    [Fact]
    public void Videos_killed_at_the_walltime_ask_for_twice_as_long_and_the_others_keep_theirs()
    {
        var (groups, notes) = RetryResources.Plan(
            [Video("a", TaskEndCause.Walltime), Video("b", TaskEndCause.Walltime), Video("c", null)],
            Current,
            new RetryLimits(2, null, null)
        );

        Assert.Equal(
            [(TimeSpan.FromHours(60), 2), (TimeSpan.FromHours(30), 1)],
            groups.Select(g => (g.Resources.Walltime, g.Tasks.Count))
        );
        Assert.Equal(
            ["2 videos: walltime raised from 30:00:00 to 60:00:00 (killed at the walltime; --retry-scale 2)"],
            notes
        );
    }

    [Fact]
    public void A_raise_stops_at_max_walltime_and_a_video_already_there_is_told_so()
    {
        var (groups, notes) = RetryResources.Plan(
            [Video("a", TaskEndCause.Walltime), Video("b", TaskEndCause.Walltime, TimeSpan.FromHours(48))],
            Current,
            new RetryLimits(2, TimeSpan.FromHours(48), null)
        );

        Assert.Equal([TimeSpan.FromHours(48)], groups.Select(g => g.Resources.Walltime));
        Assert.Contains(notes, n =>
            n.Contains(
                "raised from 30:00:00 to 48:00:00 (killed at the walltime; --retry-scale 2, held to --max-walltime)",
                StringComparison.Ordinal
            )
        );
        Assert.Contains(notes, n => n.Contains("stays 48:00:00", StringComparison.Ordinal));
    }

    [Fact]
    public void A_video_keeps_what_an_earlier_raise_gave_it_when_it_fails_otherwise()
    {
        var (groups, _) = RetryResources.Plan(
            [Video("a", null, TimeSpan.FromHours(60), "32gb")],
            Current,
            new RetryLimits(2, null, null)
        );

        Assert.Equal((TimeSpan.FromHours(60), "32gb"), (groups[0].Resources.Walltime, groups[0].Resources.Memory));
    }

    [Theory]
    [InlineData("16gb", null, "32gb")]
    [InlineData("16gb", "24gb", "24gb")]
    [InlineData("1500mb", null, "3000mb")]
    public void Memory_doubles_up_to_max_memory(string memory, string? max, string expected)
    {
        var (groups, _) = RetryResources.Plan(
            [Video("a", TaskEndCause.Memory)],
            Current with
            {
                Memory = memory,
            },
            new RetryLimits(2, null, max)
        );

        Assert.Equal(expected, groups[0].Resources.Memory);
    }

    [Fact]
    public void A_video_killed_for_memory_with_none_requested_is_told_to_set_memory()
    {
        var (groups, notes) = RetryResources.Plan(
            [Video("a", TaskEndCause.Memory)],
            Current with
            {
                Memory = null,
            },
            new RetryLimits(2, null, null)
        );

        Assert.Null(groups[0].Resources.Memory);
        Assert.Contains("no --memory was requested", Assert.Single(notes));
    }

    [Theory]
    [InlineData("16gb", 16L << 30)]
    [InlineData("16G", 16L << 30)]
    [InlineData("500mb", 500L << 20)]
    [InlineData("1.5gb", 3L << 29)]
    [InlineData("1024", 1024L)]
    [InlineData("4w", null)]
    public void Memory_amounts_are_read_as_pbs_writes_them(string text, long? bytes) =>
        Assert.Equal(bytes, MemoryText.Parse(text));
}
