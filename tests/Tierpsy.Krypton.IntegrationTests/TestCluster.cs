using System.Net.Sockets;
using Tierpsy.Krypton.Remote;

namespace Tierpsy.Krypton.IntegrationTests;

/// <summary>
/// The loopback cluster of cluster/up.sh: sshd on 127.0.0.1 and a one-node SLURM. Tests skip with a visible reason
/// when it is absent, and fail instead when KRYPTON_REQUIRE_CLUSTER=1 (as .ci/run sets it).
/// </summary>
internal static class TestCluster
{
    public static string Folder =>
        Environment.GetEnvironmentVariable("KRYPTON_TEST_CLUSTER") is { Length: > 0 } f
            ? f
            : "/tmp/krypton-test-cluster";
    public static int Port =>
        int.TryParse(Environment.GetEnvironmentVariable("KRYPTON_TEST_SSH_PORT"), out var p) ? p : 2222;
    public static string ClientKey => Path.Combine(Folder, "ssh", "client_ed25519");
    public static string KnownHosts => Path.Combine(Folder, "ssh", "known_hosts");
    public static string HostKeyPublic => Path.Combine(Folder, "ssh", "hostkey_ed25519.pub");
    public static string Jobs => Path.Combine(Folder, "jobs");

    /// <summary>Skips (or, in CI, fails) the calling test when the cluster is not running.</summary>
    public static void Require()
    {
        var reason = Missing();
        if (reason is null)
            return;
        if (Environment.GetEnvironmentVariable("KRYPTON_REQUIRE_CLUSTER") == "1")
            Assert.Fail($"The test cluster is required (KRYPTON_REQUIRE_CLUSTER=1) but {reason}.");
        Assert.Skip(
            $"No test cluster: {reason}. Start it with tests/Tierpsy.Krypton.IntegrationTests/cluster/up.sh (root, "
                + $"throw-away machine)."
        );
    }

    /// <summary>Settings for root@127.0.0.1 with the cluster's client key and known_hosts.</summary>
    public static SshSettings Settings(string? knownHosts = null, string user = "root", int? port = null) =>
        new()
        {
            Host = "127.0.0.1",
            Port = port ?? Port,
            User = user,
            IdentityFiles = [ClientKey],
            KnownHostsPath = knownHosts ?? KnownHosts,
            ConnectTimeout = TimeSpan.FromSeconds(10),
        };

    private static string? Missing()
    {
        if (!File.Exists(ClientKey))
            return $"{ClientKey} does not exist";
        try
        {
            using var client = new TcpClient();
            client.Connect("127.0.0.1", Port);
            return null;
        }
        catch (SocketException e)
        {
            return $"nothing listens on 127.0.0.1:{Port} ({e.SocketErrorCode})";
        }
    }
}
