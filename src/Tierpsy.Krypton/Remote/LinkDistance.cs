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
    /// How many requests <see cref="ShortestAsync"/> times, one after another: other traffic on the connection can
    /// delay one of them, rarely all.
    /// </summary>
    public const int Samples = 3;

    /// <summary>Whether a link of this round trip is distant.</summary>
    public static bool IsDistant(TimeSpan roundTrip) => roundTrip >= DistantRoundTrip;

    /// <summary>The shortest of <see cref="Samples"/> runs of <paramref name="request"/>, one after another.</summary>
    public static async Task<TimeSpan> ShortestAsync(
        Func<CancellationToken, Task> request,
        TimeProvider time,
        CancellationToken cancellationToken
    )
    {
        var shortest = TimeSpan.MaxValue;
        for (var i = 0; i < Samples; i++)
        {
            var start = time.GetTimestamp();
            await request(cancellationToken);
            var took = time.GetElapsedTime(start);
            if (took < shortest)
                shortest = took;
        }
        return shortest;
    }
}
