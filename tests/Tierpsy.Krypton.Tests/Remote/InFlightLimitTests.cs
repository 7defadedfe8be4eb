using System.Security.Cryptography;
using Microsoft.Extensions.Time.Testing;
using Tierpsy.Krypton.Remote;

namespace Tierpsy.Krypton.Tests.Remote;

public class InFlightLimitTests
{
    private const int Chunk = 32 * 1024;

    [Fact]
    public async Task A_read_waits_once_the_floor_is_on_the_way_until_a_write_is_acknowledged()
    {
        var time = new FakeTimeProvider();
        var limit = new InFlightLimit(time);
        using var upload = limit.Start();
        for (var sent = 0L; sent < InFlightLimit.Floor; sent += Chunk)
        {
            Assert.True(upload.BeforeReadAsync(TestContext.Current.CancellationToken).AsTask().IsCompleted);
            upload.Read(Chunk);
        }

        var waiting = upload.BeforeReadAsync(TestContext.Current.CancellationToken).AsTask();
        await Task.Delay(50, TestContext.Current.CancellationToken);
        Assert.False(waiting.IsCompleted);

        time.Advance(TimeSpan.FromMilliseconds(1));
        upload.Acknowledge(Chunk);
        await waiting.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        Assert.Equal(InFlightLimit.Floor - Chunk, limit.InFlight);
        Assert.Equal(TimeSpan.FromMilliseconds(1), limit.ShortestRoundTrip);
    }

    [Fact]
    public async Task An_upload_that_ends_without_its_acknowledgements_gives_its_room_to_the_others()
    {
        var limit = new InFlightLimit(new FakeTimeProvider());
        using var other = limit.Start();
        var failed = limit.Start();
        failed.Read((int)InFlightLimit.Floor);
        var waiting = other.BeforeReadAsync(TestContext.Current.CancellationToken).AsTask();
        Assert.False(waiting.IsCompleted);

        failed.Dispose();
        failed.Acknowledge(InFlightLimit.Floor); // a late report of the ended upload changes nothing

        await waiting.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        Assert.Equal(0, limit.InFlight);
        Assert.Null(limit.ShortestRoundTrip);
    }

    [Fact]
    public async Task A_read_goes_ahead_when_nothing_is_acknowledged_for_the_stall_timeout()
    {
        // A lost connection acknowledges nothing; the write after the read then fails as it would have anyway.
        var time = new FakeTimeProvider();
        var limit = new InFlightLimit(time);
        using var upload = limit.Start();
        upload.Read((int)InFlightLimit.Floor);
        var waiting = upload.BeforeReadAsync(TestContext.Current.CancellationToken).AsTask();

        time.Advance(InFlightLimit.StallTimeout - TimeSpan.FromMilliseconds(1));
        await Task.Delay(50, TestContext.Current.CancellationToken);
        Assert.False(waiting.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(1));
        await waiting.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task A_cancelled_run_stops_waiting()
    {
        var limit = new InFlightLimit(new FakeTimeProvider());
        using var upload = limit.Start();
        upload.Read((int)InFlightLimit.Floor);
        using var cancel = new CancellationTokenSource();
        var waiting = upload.BeforeReadAsync(cancel.Token).AsTask();

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            waiting.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken)
        );
    }

    [Fact]
    public void On_a_short_fast_link_half_a_megabyte_on_the_way_fills_it()
    {
        // Loopback: a quarter of a millisecond, 400 MB/s. Twice what one round trip delivers is below the floor, so
        // the floor stays the limit (what keeps sshd's buffer small), and the link still carries all it can.
        var (limit, rate) = Simulate(TimeSpan.FromMilliseconds(0.25), 400e6, uploads: 4);

        Assert.Equal(InFlightLimit.Floor, limit);
        Assert.InRange(rate, 0.95 * 400e6, 400e6 * 1.01);
    }

    [Fact]
    public void On_a_distant_link_the_limit_grows_until_the_link_is_full()
    {
        // 10 ms and 100 MB/s: one round trip holds a megabyte, twice the floor. Held at the floor, the link would
        // carry half a megabyte per round trip (52 MB/s).
        var (limit, rate) = Simulate(TimeSpan.FromMilliseconds(10), 100e6, uploads: 1);

        Assert.InRange(limit, 1_800_000, 2_200_000);
        Assert.InRange(rate, 0.95 * 100e6, 100e6 * 1.01);
    }

    [Fact]
    public async Task A_paced_stream_passes_the_bytes_through_and_counts_them_as_on_the_way()
    {
        var data = RandomNumberGenerator.GetBytes(100_000);
        var limit = new InFlightLimit(new FakeTimeProvider());
        using var upload = limit.Start();
        await using var stream = new PacedReadStream(new MemoryStream(data), upload);
        var copy = new MemoryStream();

        await stream.CopyToAsync(copy, Chunk, TestContext.Current.CancellationToken);

        Assert.Equal(data, copy.ToArray());
        Assert.Equal(data.Length, limit.InFlight);
        upload.Acknowledge(data.Length);
        Assert.Equal(0, limit.InFlight);
    }

    /// <summary>
    /// Uploads that read whenever the limit has room, over a link of the given round trip and bandwidth: each write
    /// reaches the cluster half a round trip after it was sent or once the link has carried the writes before it,
    /// whichever is later, and its acknowledgement comes back half a round trip after that. Returns the limit at the
    /// end and the rate acknowledged over the second half of two simulated seconds.
    /// </summary>
    private static (long Limit, double Rate) Simulate(TimeSpan roundTrip, double bytesPerSecond, int uploads)
    {
        var time = new FakeTimeProvider();
        var start = time.GetUtcNow();
        TimeSpan Now() => time.GetUtcNow() - start;
        var limit = new InFlightLimit(time);
        var files = Enumerable.Range(0, uploads).Select(_ => (Upload: limit.Start(), Sent: 0L)).ToArray();
        var acknowledgements = new PriorityQueue<(int File, long Written), TimeSpan>();
        var linkFree = TimeSpan.Zero;
        var perChunk = TimeSpan.FromSeconds(Chunk / bytesPerSecond);
        var duration = TimeSpan.FromSeconds(2);
        var acknowledgedLate = 0L;
        var next = 0;
        while (Now() < duration)
        {
            while (limit.InFlight < limit.Limit)
            {
                var file = next++ % uploads;
                files[file].Upload.Read(Chunk);
                files[file].Sent += Chunk;
                var arrives = Max(Now() + roundTrip / 2, linkFree + perChunk);
                linkFree = arrives;
                acknowledgements.Enqueue((file, files[file].Sent), arrives + roundTrip / 2);
            }
            var (done, due) = acknowledgements.TryDequeue(out var a, out var d)
                ? (a, d)
                : throw new InvalidOperationException("nothing on the way");
            if (due > Now())
                time.Advance(due - Now());
            files[done.File].Upload.Acknowledge(done.Written);
            if (Now() > duration / 2)
                acknowledgedLate += Chunk;
        }
        foreach (var file in files)
            file.Upload.Dispose();
        return (limit.Limit, acknowledgedLate / (duration / 2).TotalSeconds);
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
