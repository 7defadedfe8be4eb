using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Sockets;

namespace Tierpsy.Krypton.TestSupport;

/// <summary>
/// A loopback proxy that delays every byte by half a round trip in each direction, without limiting how many bytes
/// are on the way: a distant cluster (at another site, or reached over a VPN) on this machine, which has no netem.
/// </summary>
public sealed class DelayingProxy : LoopbackProxy
{
    private readonly TimeSpan _oneWay;

    /// <param name="targetPort">The loopback port to forward to.</param>
    /// <param name="roundTrip">The round trip to add (half of it each way).</param>
    /// <param name="port">The port to listen on; 0 (the default) takes a free one.</param>
    public DelayingProxy(int targetPort, TimeSpan roundTrip, int port = 0)
        : base(port)
    {
        _oneWay = roundTrip / 2;
        Start(targetPort);
    }

    /// <summary>
    /// Reads as fast as the sender sends; each piece is written once it is half a round trip old, by a thread of its
    /// own that sleeps until then (a timer here fires up to 4 ms late, a sleep well under 1 ms).
    /// </summary>
    protected override async Task PumpAsync(
        NetworkStream source,
        NetworkStream destination,
        bool fromClient,
        CancellationToken ct
    )
    {
        using var pieces = new BlockingCollection<(long Due, byte[] Bytes)>();
        var writer = new Thread(() =>
        {
            try
            {
                foreach (var (due, bytes) in pieces.GetConsumingEnumerable(ct))
                {
                    var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
                    if (wait > TimeSpan.Zero)
                        Thread.Sleep(wait);
                    destination.Write(bytes);
                }
            }
            catch (Exception e)
                when (e is IOException or OperationCanceledException or SocketException or ObjectDisposedException) { }
        })
        {
            IsBackground = true,
            Name = "delaying proxy",
        };
        writer.Start();
        var buffer = new byte[64 * 1024];
        try
        {
            while (true)
            {
                var read = await source.ReadAsync(buffer, ct);
                if (read == 0)
                    break;
                pieces.Add(
                    (Stopwatch.GetTimestamp() + (long)(_oneWay.TotalSeconds * Stopwatch.Frequency), buffer[..read]),
                    ct
                );
            }
        }
        catch (Exception e)
            when (e is IOException or OperationCanceledException or SocketException or ObjectDisposedException) { }
        pieces.CompleteAdding();
        await Task.Run(writer.Join, CancellationToken.None);
    }
}
