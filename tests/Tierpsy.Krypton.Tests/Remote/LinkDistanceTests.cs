using Microsoft.Extensions.Time.Testing;
using Tierpsy.Krypton.Remote;

namespace Tierpsy.Krypton.Tests.Remote;

public class LinkDistanceTests
{
    [Fact]
    public async Task The_round_trip_is_the_first_answer_to_requests_sent_at_once_after_one_that_is_not_timed()
    {
        var time = new FakeTimeProvider();
        var answers = Enumerable.Range(0, 1 + LinkDistance.Samples).Select(_ => new TaskCompletionSource()).ToList();
        var sent = 0;
        Task Request(CancellationToken ct) => answers[sent++].Task;

        var measuring = LinkDistance.ShortestAsync(Request, time, TestContext.Current.CancellationToken);
        Assert.Equal(1, sent);
        // The first request of a process also compiles the code that sends it.
        time.Advance(TimeSpan.FromMilliseconds(80));
        answers[0].SetResult();
        Assert.Equal(1 + LinkDistance.Samples, sent);
        time.Advance(TimeSpan.FromMilliseconds(12));
        answers[2].SetResult();
        time.Advance(TimeSpan.FromMilliseconds(30));
        answers[1].SetResult();
        answers[3].SetResult();

        Assert.Equal(TimeSpan.FromMilliseconds(12), await measuring);
    }

    [Fact]
    public async Task A_request_that_fails_fails_the_measurement()
    {
        Task Refused(CancellationToken ct) => Task.FromException(new IOException("connection lost"));

        await Assert.ThrowsAsync<IOException>(() =>
            LinkDistance.ShortestAsync(Refused, TimeProvider.System, TestContext.Current.CancellationToken)
        );
    }

    [Theory]
    [InlineData(0.3, false)]
    [InlineData(4.9, false)]
    [InlineData(10, true)]
    [InlineData(50, true)]
    public void A_link_is_distant_from_five_milliseconds_on(double roundTripMs, bool distant) =>
        Assert.Equal(distant, LinkDistance.IsDistant(TimeSpan.FromMilliseconds(roundTripMs)));
}
