using Renci.SshNet;
using Tierpsy.Krypton.Remote;

namespace Tierpsy.Krypton.IntegrationTests;

/// <summary>The TCP buffers of connections to the test cluster's sshd.</summary>
public class SocketBuffersTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Connections_get_larger_tcp_buffers_than_ssh_net_sets()
    {
        TestCluster.Require();
        using var connector = new SshConnector(TestCluster.Settings());
        using var sftp = await connector.ConnectSftpAsync(128 * 1024, Ct);
        using var ssh = await connector.ConnectSshAsync(Ct);
        var sshNets = await SshNetsOwnBufferAsync();

        foreach (var client in new BaseClient[] { sftp, ssh })
        {
            var socket = SocketBuffers.Of(client);
            Assert.NotNull(socket);
            // Linux gives at most twice net.core.rmem_max / wmem_max; either way more than SSH.NET's own.
            Assert.True(
                socket.ReceiveBufferSize > sshNets,
                $"receive buffer {socket.ReceiveBufferSize}, SSH.NET sets {sshNets}"
            );
            Assert.True(
                socket.SendBufferSize > sshNets,
                $"send buffer {socket.SendBufferSize}, SSH.NET sets {sshNets}"
            );
        }
    }

    /// <summary>
    /// The receive buffer of a connection SSH.NET makes on its own (it sets both buffers to twice its largest packet).
    /// </summary>
    private static async Task<int> SshNetsOwnBufferAsync()
    {
        var settings = TestCluster.Settings();
        // The loopback test sshd; SSH.NET alone trusts any host key, which is all this needs.
        using var plain = new SftpClient(
            settings.Host,
            settings.Port,
            settings.User,
            settings.IdentityFiles.Select(f => new PrivateKeyFile(f)).ToArray()
        );
        await plain.ConnectAsync(Ct);
        return SocketBuffers.Of(plain)!.ReceiveBufferSize;
    }
}
