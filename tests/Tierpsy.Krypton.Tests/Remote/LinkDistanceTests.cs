using Microsoft.Extensions.Time.Testing;
using Tierpsy.Krypton.Remote;

namespace Tierpsy.Krypton.Tests.Remote;

public class LinkDistanceTests
{
    [Fact]
    public async Task The_round_trip_is_the_shortest_of_requests_made_one_after_another()
    {
        var time = new FakeTimeProvider();
        var took = new Queue<int>([30, 12, 20]);
        var running = 0;
        async Task Request(CancellationToken ct)
        {
            Assert.Equal(1, Interlocked.Increment(ref running));
            await Task.Yield();
            time.Advance(TimeSpan.FromMilliseconds(took.Dequeue()));
            Interlocked.Decrement(ref running);
        }

        var shortest = await LinkDistance.ShortestAsync(Request, time, TestContext.Current.CancellationToken);

        Assert.Equal(TimeSpan.FromMilliseconds(12), shortest);
        Assert.Empty(took);
    }

    [Theory]
    [InlineData(0.3, false)]
    [InlineData(4.9, false)]
    [InlineData(10, true)]
    [InlineData(50, true)]
    public void A_link_is_distant_from_five_milliseconds_on(double roundTripMs, bool distant) =>
        Assert.Equal(distant, LinkDistance.IsDistant(TimeSpan.FromMilliseconds(roundTripMs)));
}
