using System.Net.Sockets;
using System.Reflection;
using Renci.SshNet;

namespace Tierpsy.Krypton.Remote;

/// <summary>
/// Gives a connected SSH.NET client's socket TCP buffers of <see cref="Size"/>. SSH.NET sets both buffers to twice its
/// largest packet (134 KiB; the system doubles that to 268 KB), which also switches off the system's tuning of them:
/// the receive window then never exceeds 268 KB, so a download from a cluster 10 ms away could not pass about 27 MB/s,
/// and on this machine the login node's sshd waited for that window half the time (<c>ss -i</c>: rwnd_limited 49 %).
/// SSH.NET has no setting for it, so the socket is reached by reflection; where a version of SSH.NET keeps it
/// elsewhere, nothing changes (SocketBuffersTests fails then).
/// </summary>
internal static class SocketBuffers
{
    /// <summary>
    /// The send and receive buffer asked for; the system may give less (Linux: net.core.rmem_max and wmem_max).
    /// </summary>
    public const int Size = 4 * 1024 * 1024;

    private static readonly PropertyInfo? SessionProperty = typeof(BaseClient).GetProperty(
        "Session",
        BindingFlags.Instance | BindingFlags.NonPublic
    );
    private static readonly FieldInfo? SocketField = typeof(BaseClient)
        .Assembly.GetType("Renci.SshNet.Session")
        ?.GetField("_socket", BindingFlags.Instance | BindingFlags.NonPublic);

    /// <summary>
    /// The socket of a connected client; null where this version of SSH.NET does not keep it where expected.
    /// </summary>
    internal static Socket? Of(BaseClient client) =>
        SessionProperty?.GetValue(client) is { } session
        && SocketField?.DeclaringType?.IsInstanceOfType(session) == true
            ? SocketField.GetValue(session) as Socket
            : null;

    /// <summary>
    /// Asks for <see cref="Size"/> bytes of send and receive buffer; false where the socket could not be reached or
    /// changed.
    /// </summary>
    public static bool Enlarge(BaseClient client)
    {
        if (Of(client) is not { } socket)
            return false;
        try
        {
            socket.ReceiveBufferSize = Size;
            socket.SendBufferSize = Size;
            return true;
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            return false;
        }
    }
}
