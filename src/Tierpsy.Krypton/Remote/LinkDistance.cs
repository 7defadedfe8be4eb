namespace Tierpsy.Krypton.Remote;

/// <summary>
/// Whether the login node is distant. An SSH channel carries at most its window per round trip (OpenSSH's sshd grants
/// 2 MiB), so through a 50 ms round trip one SFTP session moves at most 40 MiB/s however fast the link is. On a
/// distant link each copy therefore gets an SFTP session (an SSH connection) of its own. On a near one, uploads share
/// a session and downloads run one per two cores, because there the computers' CPUs, not the window, set the pace.
/// </summary>
internal static class LinkDistance
{
    /// <summary>
    /// From this round trip on, the link is distant. A local network or the same machine answers in well under a
    /// millisecond; a cluster at another site or behind a VPN takes 10 ms and more.
    /// </summary>
    public static readonly TimeSpan DistantRoundTrip = TimeSpan.FromMilliseconds(5);

    /// <summary>
    /// How many requests <see cref="ShortestAsync"/> times, sent at once: the first answer is the one least delayed
    /// by whatever else the login node was doing.
    /// </summary>
    public const int Samples = 3;

    /// <summary>Whether a link of this round trip is distant.</summary>
    public static bool IsDistant(TimeSpan roundTrip) => roundTrip >= DistantRoundTrip;

    /// <summary>
    /// How long the first of <see cref="Samples"/> runs of <paramref name="request"/>, started at once, took. One run
    /// before them is not timed: the first request of a process also compiles the code that sends it, which here
    /// took longer than a 5 ms round trip.
    /// </summary>
    public static async Task<TimeSpan> ShortestAsync(
        Func<CancellationToken, Task> request,
        TimeProvider time,
        CancellationToken cancellationToken
    )
    {
        await request(cancellationToken);
        var start = time.GetTimestamp();
        // Each answer's time is read as it arrives, on the thread that receives it.
        var timed = Enumerable
            .Range(0, Samples)
            .Select(_ =>
                request(cancellationToken)
                    .ContinueWith(
                        answered =>
                        {
                            answered.GetAwaiter().GetResult(); // a failed request fails the measurement
                            return time.GetElapsedTime(start);
                        },
                        CancellationToken.None,
                        TaskContinuationOptions.ExecuteSynchronously,
                        TaskScheduler.Default
                    )
            )
            .ToList();
        var first = await Task.WhenAny(timed);
        _ = Task.WhenAll(timed)
            .ContinueWith(
                t => t.Exception,
                CancellationToken.None,
                TaskContinuationOptions.OnlyOnFaulted,
                TaskScheduler.Default
            );
        return await first;
    }
}
