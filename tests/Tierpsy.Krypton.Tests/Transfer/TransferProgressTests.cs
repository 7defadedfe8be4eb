using Tierpsy.Krypton.Targets;
using Tierpsy.Krypton.Text;
using Tierpsy.Krypton.Transfer;
using Tierpsy.Krypton.Workflow;

namespace Tierpsy.Krypton.Tests.Transfer;

/// <summary>The progress line (no terminal): files, bytes moved of those to move, rate and ETA.</summary>
public class TransferProgressTests
{
    private const long MiB = 1 << 20;

    private static (TransferProgress Progress, StringWriter Output) Make(string verb, int files, long bytes)
    {
        var output = new StringWriter();
        return (
            new TransferProgress(
                new BuildTransferLog(new BuildLog(output, TextWriter.Null, color: false, Verbosity.Normal)),
                verb,
                files,
                bytes
            ),
            output
        );
    }

    [Fact]
    public void A_resumed_copy_counts_only_the_bytes_it_moves_so_rate_and_eta_are_of_the_copying()
    {
        // Two files: a 100 MiB one resumed at 60 MiB, and a new one of 200 MiB.
        var (progress, output) = Make("Stage", 2, 300 * MiB);

        progress.Resumed(60 * MiB);
        progress.Report("a", 20 * MiB);
        Assert.Equal(
            "Stage: 0/2 files, 20.0 MiB of 240.0 MiB, 2.0 MiB/s, ETA 1:50",
            progress.Line(TimeSpan.FromSeconds(10))
        );

        progress.Completed("a", 40 * MiB);
        progress.Report("b", 100 * MiB);
        Assert.Equal(
            "Stage: 1/2 files, 140.0 MiB of 240.0 MiB, 7.0 MiB/s, ETA 0:14",
            progress.Line(TimeSpan.FromSeconds(20))
        );

        progress.Completed("b", 200 * MiB);
        progress.Finish();
        Assert.StartsWith("Stage: 2/2 files, 240.0 MiB of 240.0 MiB, ", output.ToString());
        Assert.EndsWith(", ETA 0:00", output.ToString().TrimEnd());
    }

    [Fact]
    public void A_file_already_there_is_a_file_done_with_no_bytes_to_move()
    {
        var (progress, _) = Make("Retrieve", 3, 30 * MiB);

        progress.Present(10 * MiB);
        progress.Report("b", 5 * MiB);

        Assert.Equal(
            "Retrieve: 1/3 files, 5.0 MiB of 20.0 MiB, 1.0 MiB/s, ETA 0:15",
            progress.Line(TimeSpan.FromSeconds(5))
        );
    }

    [Fact]
    public void The_count_of_bytes_never_goes_back_when_a_resumed_copy_completes()
    {
        var (progress, _) = Make("Retrieve", 1, 100 * MiB);
        progress.Resumed(70 * MiB);

        progress.Report("a", 30 * MiB);
        var before = progress.Line(TimeSpan.FromSeconds(1));
        progress.Completed("a", 30 * MiB);
        var after = progress.Line(TimeSpan.FromSeconds(1));

        Assert.Equal("Retrieve: 0/1 files, 30.0 MiB of 30.0 MiB, 30.0 MiB/s, ETA 0:00", before);
        Assert.Equal("Retrieve: 1/1 files, 30.0 MiB of 30.0 MiB, 30.0 MiB/s, ETA 0:00", after);
    }

    [Theory]
    [InlineData(0, "0 B")]
    [InlineData(1023, "1023 B")]
    [InlineData(1536, "1.5 KiB")]
    [InlineData(300L << 20, "300.0 MiB")]
    [InlineData(3L << 30, "3.0 GiB")]
    public void Sizes_read_as_people_write_them(long bytes, string expected) =>
        Assert.Equal(expected, SizeText.Format(bytes));
}
