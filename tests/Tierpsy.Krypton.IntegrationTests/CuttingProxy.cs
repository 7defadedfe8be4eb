using System.Net;
using System.Net.Sockets;

namespace Tierpsy.Krypton.IntegrationTests;

/// <summary>
/// A loopback TCP proxy in front of the test sshd that cuts every connection once it has forwarded a given number of
/// bytes from the client (or from sshd): a network that drops in the middle of a file. Only 127.0.0.1 is ever contacted.
/// </summary>
internal sealed class CuttingProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;

    public CuttingProxy(int targetPort, long cutAfterBytes)
    {
        CutAfterBytes = cutAfterBytes;
        _listener.Start();
        _accepting = Task.Run(() => AcceptAsync(targetPort));
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Bytes from the client after which a connection is cut; change it between runs.</summary>
    public long CutAfterBytes { get; set; }

    /// <summary>Bytes from sshd after which a connection is cut (downloads); none by default.</summary>
    public long CutAfterBytesDown { get; set; } = long.MaxValue;

    /// <summary>How many connections were cut.</summary>
    public int Cuts;

    /// <summary>Bytes forwarded from clients to sshd, over all connections.</summary>
    public long Forwarded => Interlocked.Read(ref _forwarded);

    private long _forwarded;

    private async Task AcceptAsync(int targetPort)
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await _listener.AcceptTcpClientAsync(_stop.Token); }
            catch (OperationCanceledException) { return; }
            _ = Task.Run(async () =>
            {
                using var c = client;
                using var server = new TcpClient();
                await server.ConnectAsync(IPAddress.Loopback, targetPort);
                using var cut = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                var up = Pump(c.GetStream(), server.GetStream(), CutAfterBytes, cut, fromClient: true);
                var down = Pump(server.GetStream(), c.GetStream(), CutAfterBytesDown, cut, fromClient: false);
                await Task.WhenAny(up, down);
                cut.Cancel();
            });
        }
    }

    private async Task Pump(NetworkStream from, NetworkStream to, long limit, CancellationTokenSource cut, bool fromClient)
    {
        var buffer = new byte[16 * 1024];
        long total = 0;
        try
        {
            while (true)
            {
                var read = await from.ReadAsync(buffer, cut.Token);
                if (read == 0) return;
                var allowed = (int)Math.Min(read, limit - total);
                if (allowed > 0) await to.WriteAsync(buffer.AsMemory(0, allowed), cut.Token);
                total += allowed;
                if (fromClient) Interlocked.Add(ref _forwarded, allowed);
                if (total >= limit)
                {
                    Interlocked.Increment(ref Cuts);
                    return;
                }
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or SocketException) { }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        try { await _accepting; } catch (Exception e) when (e is OperationCanceledException or SocketException) { }
    }
}
