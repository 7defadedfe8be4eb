using System.Buffers.Binary;
using System.Net.Sockets;
using System.Text;
using Renci.SshNet;
using Renci.SshNet.Security;

namespace Tierpsy.Krypton.Remote;

/// <summary>
/// The keys an ssh-agent holds (its Unix socket, <c>SSH_AUTH_SOCK</c>), as key sources for SSH.NET: the agent lists
/// them and signs with them; the private keys never leave it. Two requests of the agent protocol
/// (draft-miller-ssh-agent): list identities (11 → 12) and sign (13 → 14). No package for it is served here.
/// </summary>
internal static class SshAgent
{
    private const byte Failure = 5,
        RequestIdentities = 11,
        IdentitiesAnswer = 12,
        SignRequest = 13,
        SignResponse = 14;

    /// <summary>Asks SHA-256 RSA signatures of the agent (SSH_AGENT_RSA_SHA2_256), or SHA-512 ones.</summary>
    private const uint RsaSha256 = 2,
        RsaSha512 = 4;

    /// <summary>
    /// One key source per key the agent holds; none when the socket is missing or the agent does not answer.
    /// </summary>
    public static IReadOnlyList<IPrivateKeySource> Keys(string socket)
    {
        try
        {
            var answer = Request(socket, [RequestIdentities]);
            if (answer.Length == 0 || answer[0] != IdentitiesAnswer)
                return [];
            var reader = new Reader(answer, 1);
            var count = reader.UInt32();
            var keys = new List<IPrivateKeySource>();
            for (var i = 0; i < count; i++)
            {
                var blob = reader.Bytes();
                reader.Bytes(); // the comment
                keys.Add(new AgentKey(socket, blob));
            }
            return keys;
        }
        catch (Exception e) when (e is SocketException or IOException or ArgumentException or InvalidDataException)
        {
            return [];
        }
    }

    /// <summary>The agent's signature (<c>string format, string signature</c>) of <paramref name="data"/>.</summary>
    private static byte[] Sign(string socket, byte[] blob, byte[] data, uint flags)
    {
        var request = new MemoryStream();
        request.WriteByte(SignRequest);
        WriteBytes(request, blob);
        WriteBytes(request, data);
        WriteUInt32(request, flags);
        var answer = Request(socket, request.ToArray());
        if (answer.Length == 0 || answer[0] != SignResponse)
            throw new RemoteException(
                answer.Length > 0 && answer[0] == Failure
                    ? "ssh-agent refused to sign with the key (is it confirm-only, or locked? ssh-add -l lists it)."
                    : "ssh-agent gave no signature."
            );
        return new Reader(answer, 1).Bytes();
    }

    /// <summary>One request and its answer, each framed by a 4-byte length, on a connection of their own.</summary>
    private static byte[] Request(string socket, byte[] message)
    {
        using var connection = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        connection.Connect(new UnixDomainSocketEndPoint(socket));
        using var stream = new NetworkStream(connection);
        var length = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(length, (uint)message.Length);
        stream.Write(length);
        stream.Write(message);
        stream.ReadExactly(length);
        var size = BinaryPrimitives.ReadUInt32BigEndian(length);
        if (size > 256 * 1024)
            throw new InvalidDataException($"ssh-agent answered {size} bytes.");
        var answer = new byte[size];
        stream.ReadExactly(answer);
        return answer;
    }

    private static void WriteBytes(Stream stream, byte[] bytes)
    {
        WriteUInt32(stream, (uint)bytes.Length);
        stream.Write(bytes);
    }

    private static void WriteUInt32(Stream stream, uint value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        stream.Write(bytes);
    }

    /// <summary>Reads SSH wire data: big-endian uint32 and length-prefixed strings.</summary>
    private sealed class Reader(byte[] data, int offset)
    {
        private int _at = offset;

        public uint UInt32()
        {
            if (_at + 4 > data.Length)
                throw new InvalidDataException("ssh-agent's answer is cut short.");
            var value = BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(_at));
            _at += 4;
            return value;
        }

        public byte[] Bytes()
        {
            var length = (int)UInt32();
            if (length < 0 || _at + length > data.Length)
                throw new InvalidDataException("ssh-agent's answer is cut short.");
            var bytes = data.AsSpan(_at, length).ToArray();
            _at += length;
            return bytes;
        }
    }

    /// <summary>One key of the agent, with the signature algorithms SSH.NET may offer for it, best first.</summary>
    private sealed class AgentKey : IPrivateKeySource
    {
        public AgentKey(string socket, byte[] blob)
        {
            var type = Encoding.ASCII.GetString(new Reader(blob, 0).Bytes());
            HostKeyAlgorithms =
                type == "ssh-rsa"
                    ?
                    [
                        new AgentAlgorithm("rsa-sha2-512", socket, blob, RsaSha512),
                        new AgentAlgorithm("rsa-sha2-256", socket, blob, RsaSha256),
                    ]
                    : [new AgentAlgorithm(type, socket, blob, 0)];
        }

        public IReadOnlyCollection<HostAlgorithm> HostKeyAlgorithms { get; }
    }

    /// <summary>A signature algorithm of an agent key: SSH.NET sends its public key and asks it to sign.</summary>
    private sealed class AgentAlgorithm(string name, string socket, byte[] blob, uint flags) : HostAlgorithm(name)
    {
        public override byte[] Data => blob;

        public override byte[] Sign(byte[] data) => SshAgent.Sign(socket, blob, data, flags);

        /// <summary>Client keys are never asked to verify.</summary>
        public override bool VerifySignature(byte[] data, byte[] signature) =>
            throw new NotSupportedException("An ssh-agent key only signs.");
    }
}
