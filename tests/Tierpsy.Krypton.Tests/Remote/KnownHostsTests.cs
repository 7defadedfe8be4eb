using System.Security.Cryptography;
using Tierpsy.Krypton.Remote;
using Tierpsy.Krypton.TestSupport;

namespace Tierpsy.Krypton.Tests.Remote;

public class KnownHostsTests
{
    private static readonly byte[] Key = RandomNumberGenerator.GetBytes(51);
    private static readonly byte[] OtherKey = RandomNumberGenerator.GetBytes(51);

    private static string B64(byte[] k) => Convert.ToBase64String(k);

    [Theory]
    [InlineData("[127.0.0.1]:2222 ssh-ed25519 {0}", "127.0.0.1", 2222, HostKeyStatus.Known)]
    [InlineData("127.0.0.1 ssh-ed25519 {0}", "127.0.0.1", 2222, HostKeyStatus.Unknown)]
    [InlineData("localhost,127.0.0.1 ssh-ed25519 {0}", "127.0.0.1", 22, HostKeyStatus.Known)]
    [InlineData("*.0.0.1 ssh-ed25519 {0}", "127.0.0.1", 22, HostKeyStatus.Known)]
    [InlineData("*,!127.0.0.1 ssh-ed25519 {0}", "127.0.0.1", 22, HostKeyStatus.Unknown)]
    [InlineData("[127.0.0.1]:2222 ssh-ed25519 {1}", "127.0.0.1", 2222, HostKeyStatus.Changed)]
    [InlineData("[127.0.0.1]:2222 ssh-rsa {1}", "127.0.0.1", 2222, HostKeyStatus.Unknown)]
    [InlineData("@revoked * ssh-ed25519 {0}", "127.0.0.1", 22, HostKeyStatus.Revoked)]
    [InlineData("@cert-authority * ssh-ed25519 {0}", "127.0.0.1", 22, HostKeyStatus.Unknown)]
    public void Checks_a_key_against_plain_lines(string line, string host, int port, object expected)
    {
        var text = string.Format(System.Globalization.CultureInfo.InvariantCulture, line, B64(Key), B64(OtherKey));

        Assert.Equal(
            (HostKeyStatus)expected,
            KnownHosts.Check(["# comment", "", text], host, port, "ssh-ed25519", Key)
        );
    }

    [Fact]
    public void A_listed_key_wins_over_an_older_line_with_another_key()
    {
        string[] lines = [$"127.0.0.1 ssh-ed25519 {B64(OtherKey)}", $"127.0.0.1 ssh-ed25519 {B64(Key)}"];

        Assert.Equal(HostKeyStatus.Known, KnownHosts.Check(lines, "127.0.0.1", 22, "ssh-ed25519", Key));
    }

    [Fact]
    public async Task Lines_hashed_by_the_real_ssh_keygen_are_matched()
    {
        using var folder = new TempDirectory();
        var file = folder.Write("known_hosts", $"[127.0.0.1]:2222 ssh-ed25519 {B64(Key)}\n");
        var hashed = await ProcessRunner.RunAsync(
            "ssh-keygen",
            ["-H", "-f", file],
            folder.Path,
            cancellation: TestContext.Current.CancellationToken
        );
        Assert.True(hashed.ExitCode == 0, hashed.ToString());
        var lines = File.ReadAllLines(file);
        Assert.StartsWith("|1|", lines[0]);

        Assert.Equal(HostKeyStatus.Known, KnownHosts.Check(lines, "127.0.0.1", 2222, "ssh-ed25519", Key));
        Assert.Equal(HostKeyStatus.Unknown, KnownHosts.Check(lines, "127.0.0.1", 2223, "ssh-ed25519", Key));
    }

    [Fact]
    public void Appending_writes_a_line_openssh_reads_and_the_fingerprint_is_opensshs()
    {
        using var folder = new TempDirectory();
        var file = Path.Combine(folder.Path, "ssh", "known_hosts");

        KnownHosts.Append(file, "127.0.0.1", 2222, "ssh-ed25519", Key);

        Assert.Equal($"[127.0.0.1]:2222 ssh-ed25519 {B64(Key)}\n", File.ReadAllText(file));
        Assert.Equal(
            HostKeyStatus.Known,
            KnownHosts.Check(File.ReadAllLines(file), "127.0.0.1", 2222, "ssh-ed25519", Key)
        );
        Assert.Equal(
            "SHA256:" + Convert.ToBase64String(SHA256.HashData(Key)).TrimEnd('='),
            KnownHosts.Fingerprint(Key)
        );
    }

    [Fact]
    public async Task The_fingerprint_equals_ssh_keygens()
    {
        using var folder = new TempDirectory();
        var key = Path.Combine(folder.Path, "k");
        await ProcessRunner.RunAsync(
            "ssh-keygen",
            ["-q", "-t", "ed25519", "-N", "", "-f", key],
            folder.Path,
            cancellation: TestContext.Current.CancellationToken
        );
        var listed = await ProcessRunner.RunAsync(
            "ssh-keygen",
            ["-lf", key + ".pub"],
            folder.Path,
            cancellation: TestContext.Current.CancellationToken
        );
        var blob = Convert.FromBase64String(File.ReadAllText(key + ".pub").Split(' ')[1]);

        Assert.Equal(listed.Output.Split(' ')[1], KnownHosts.Fingerprint(blob));
    }
}
