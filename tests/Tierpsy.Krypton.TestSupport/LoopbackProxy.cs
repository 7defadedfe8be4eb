using System.Net;
using System.Net.Sockets;

namespace Tierpsy.Krypton.TestSupport;

/// <summary>
/// A TCP proxy on 127.0.0.1 in front of another loopback port: each connection is forwarded both ways by
/// <see cref="PumpAsync"/> until either direction ends, then both are cut. What the network does to the bytes is the
/// derived class's. Only 127.0.0.1 is ever contacted.
/// </summary>
public abstract class LoopbackProxy : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private Task _accepting = Task.CompletedTask;

    /// <param name="port">The port to listen on; 0 takes a free one.</param>
    protected LoopbackProxy(int port) => _listener = new TcpListener(IPAddress.Loopback, port);

    /// <summary>
    /// The address the proxy connects from (the login node sees it in <c>SSH_CLIENT</c>); default 127.0.0.1.
    /// </summary>
    protected IPAddress? Source { get; init; }

    /// <summary>The port to connect to.</summary>
    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>How many connections the proxy accepted so far.</summary>
    public int Accepted => Volatile.Read(ref _accepted);

    private int _accepted;

    /// <summary>
    /// Starts accepting; a derived class calls it at the end of its constructor, once its settings are in place.
    /// </summary>
    protected void Start(int targetPort)
    {
        _listener.Start();
        _accepting = Task.Run(() => AcceptAsync(targetPort));
    }

    /// <summary>Forwards one direction of a connection until it ends, or until returning cuts the connection.</summary>
    protected abstract Task PumpAsync(
        NetworkStream source,
        NetworkStream destination,
        bool fromClient,
        CancellationToken ct
    );

    private async Task AcceptAsync(int targetPort)
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            Interlocked.Increment(ref _accepted);
            _ = Task.Run(async () =>
            {
                using var c = client;
                using var server = Source is null ? new TcpClient() : new TcpClient(new IPEndPoint(Source, 0));
                c.NoDelay = server.NoDelay = true;
                try
                {
                    await server.ConnectAsync(IPAddress.Loopback, targetPort, _stop.Token);
                }
                catch (Exception e) when (e is OperationCanceledException or SocketException)
                {
                    return;
                }
                using var end = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                var up = PumpAsync(c.GetStream(), server.GetStream(), fromClient: true, end.Token);
                var down = PumpAsync(server.GetStream(), c.GetStream(), fromClient: false, end.Token);
                await Task.WhenAny(up, down);
                await end.CancelAsync();
            });
        }
    }

    /// <summary>Stops accepting and cuts every connection.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _accepting;
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException) { }
        _stop.Dispose();
        GC.SuppressFinalize(this);
    }
}
