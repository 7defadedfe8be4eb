using System.Net.Sockets;
using Tierpsy.Krypton.TestSupport;

namespace Tierpsy.Krypton.IntegrationTests;

/// <summary>
/// A loopback proxy in front of the test sshd that cuts every connection once it has forwarded a given number of
/// bytes from the client (or from sshd): a network that drops in the middle of a file.
/// </summary>
internal sealed class CuttingProxy : LoopbackProxy
{
    /// <param name="targetPort">The loopback port to forward to.</param>
    /// <param name="cutAfterBytes">Bytes from the client after which a connection is cut.</param>
    /// <param name="source">The address to connect from (default 127.0.0.1).</param>
    public CuttingProxy(int targetPort, long cutAfterBytes, System.Net.IPAddress? source = null)
        : base(0)
    {
        Source = source;
        CutAfterBytes = cutAfterBytes;
        Start(targetPort);
    }

    /// <summary>Bytes from the client after which a connection is cut; change it between runs.</summary>
    public long CutAfterBytes { get; set; }

    /// <summary>Bytes from sshd after which a connection is cut (downloads); none by default.</summary>
    public long CutAfterBytesDown { get; set; } = long.MaxValue;

    /// <summary>How many connections were cut.</summary>
    public int Cuts;

    /// <summary>Bytes forwarded from clients to sshd, over all connections.</summary>
    public long Forwarded => Interlocked.Read(ref _forwarded);

    private long _forwarded;

    protected override async Task PumpAsync(
        NetworkStream source,
        NetworkStream destination,
        bool fromClient,
        CancellationToken ct
    )
    {
        var limit = fromClient ? CutAfterBytes : CutAfterBytesDown;
        var buffer = new byte[16 * 1024];
        long total = 0;
        try
        {
            while (true)
            {
                var read = await source.ReadAsync(buffer, ct);
                if (read == 0)
                    return;
                var allowed = (int)Math.Min(read, limit - total);
                if (allowed > 0)
                    await destination.WriteAsync(buffer.AsMemory(0, allowed), ct);
                total += allowed;
                if (fromClient)
                    Interlocked.Add(ref _forwarded, allowed);
                if (total >= limit)
                {
                    Interlocked.Increment(ref Cuts);
                    return;
                }
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or SocketException) { }
    }
}
