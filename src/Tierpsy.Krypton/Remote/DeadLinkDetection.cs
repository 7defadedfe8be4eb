using System.Net.Sockets;
using Renci.SshNet;

namespace Tierpsy.Krypton.Remote;

/// <summary>
/// Finds a dead link within about <see cref="UserTimeout"/>: SSH.NET sends an SSH keepalive every
/// <see cref="KeepAliveInterval"/>, so there is always data on the way, and the system closes the connection when
/// data has gone unacknowledged for <see cref="UserTimeout"/> (TCP_USER_TIMEOUT on Linux, TCP_RXT_CONNDROPTIME on
/// macOS, TCP_MAXRT on Windows). Without it a VPN that drops or a Wi-Fi that changes leaves a transfer or a command
/// waiting for the system's own retransmission limit, 15 minutes on Linux. SSH.NET's keepalive expects no answer
/// (it has no ServerAliveCountMax), hence the socket option.
/// </summary>
internal static class DeadLinkDetection
{
    /// <summary>How often a keepalive goes out on an idle connection.</summary>
    public static readonly TimeSpan KeepAliveInterval = TimeSpan.FromSeconds(10);

    /// <summary>How long sent data may stay unacknowledged before the connection counts as dead.</summary>
    public static readonly TimeSpan UserTimeout = TimeSpan.FromSeconds(30);

    private const int LinuxTcpUserTimeout = 18;
    private const int MacTcpRxtConnDropTime = 0x80;
    private const SocketOptionName WindowsTcpMaxRetransmissionTime = (SocketOptionName)5;

    /// <summary>
    /// Turns keepalives and the unacknowledged-data timeout on; false where the socket could not be set.
    /// </summary>
    public static bool Apply(BaseClient client)
    {
        client.KeepAliveInterval = KeepAliveInterval;
        if (SocketBuffers.Of(client) is not { } socket)
            return false;
        try
        {
            if (OperatingSystem.IsLinux())
                socket.SetRawSocketOption(
                    (int)SocketOptionLevel.Tcp,
                    LinuxTcpUserTimeout,
                    BitConverter.GetBytes((int)UserTimeout.TotalMilliseconds)
                );
            else if (OperatingSystem.IsMacOS())
                socket.SetRawSocketOption(
                    (int)SocketOptionLevel.Tcp,
                    MacTcpRxtConnDropTime,
                    BitConverter.GetBytes((int)UserTimeout.TotalSeconds)
                );
            else if (OperatingSystem.IsWindows())
                socket.SetSocketOption(
                    SocketOptionLevel.Tcp,
                    WindowsTcpMaxRetransmissionTime,
                    (int)UserTimeout.TotalSeconds
                );
            else
                return false;
            return true;
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or PlatformNotSupportedException)
        {
            return false;
        }
    }
}
