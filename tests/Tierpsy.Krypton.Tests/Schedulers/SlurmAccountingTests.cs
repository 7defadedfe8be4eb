using Tierpsy.Krypton.Schedulers;

namespace Tierpsy.Krypton.Tests.Schedulers;

/// <summary>
/// sacct output as recorded on the test cluster (the lag cases: rows missing, collapsed or without their task suffix).
/// </summary>
public class SlurmAccountingTests
{
    [Fact]
    public void Reads_final_states_and_exit_codes()
    {
        var text = File.ReadAllText(
                Path.Combine(AppContext.BaseDirectory, "Schedulers", "Recorded", "slurm_sacct_X_P_n.txt")
            )
            .Replace("|18|", "|", StringComparison.Ordinal)
            .Replace("|19|", "|", StringComparison.Ordinal)
            .Replace("|17|", "|", StringComparison.Ordinal);
        var chunks = new[] { new SubmittedChunk(new ArrayChunk(1, 0, 3), "17") };

        var records = SlurmAccounting.Parse(text, chunks);

        Assert.Equal(
            [
                new AccountingRecord(1, "COMPLETED", 0, 0),
                new AccountingRecord(2, "FAILED", 3, 0),
                new AccountingRecord(3, "COMPLETED", 0, 0),
            ],
            records.Values.OrderBy(r => r.Task)
        );
        Assert.Equal("sacct -X -P -n -j 17 --format=JobID,State,ExitCode", SlurmAccounting.Command(chunks));
    }

    [Fact]
    public void Lagging_rows_say_nothing_about_a_task()
    {
        var chunks = new[]
        {
            new SubmittedChunk(new ArrayChunk(1, 0, 6), "24"),
            new SubmittedChunk(new ArrayChunk(2, 6, 6), "4"),
        };
        const string lagging =
            "24_1|COMPLETED|0:0\n24|RUNNING|0:0\n24_[5-6]|PENDING|0:0\n4_[5-6]|CANCELLED by 0|0:0\n4_2|CANCELLED by "
            + "0|0:15\n24_3|TIMEOUT|0:15\n";

        var records = SlurmAccounting.Parse(lagging, chunks);

        Assert.Equal([1, 3, 8], records.Keys.Order());
        Assert.Equal(new AccountingRecord(8, "CANCELLED", 0, 15), records[8]);
        Assert.Equal("TIMEOUT", records[3].State);
    }

    [Fact]
    public void Memory_used_is_each_tasks_largest_step_and_tasks_of_a_later_array_are_offset()
    {
        SubmittedChunk[] chunks = [new(new ArrayChunk(1, 0, 2), "24"), new(new ArrayChunk(2, 2, 3), "25")];

        var used = SlurmAccounting.MemoryUsed(
            "24_1|\n24_1.batch|10240K\n24_1.extern|1024K\n24_2.batch|1.5G\n25_3.batch|\n25_1.batch|2M\n",
            chunks
        );

        Assert.Equal(10L << 20, used[1]);
        Assert.Equal(3L << 29, used[2]);
        Assert.Equal(2L << 20, used[3]); // 25_1: the later array's first task
        Assert.False(used.ContainsKey(5)); // 25_3 has no figure
    }
}
