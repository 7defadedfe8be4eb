using Tierpsy.Krypton.Remote;

namespace Tierpsy.Krypton.Tests.Remote;

public class SshConfigFileTests
{
    private const string Config = """
        # the institute
        Host krypton kr
            HostName 127.0.0.1
            User jdoe
            Port 2222
            IdentityFile ~/.ssh/id_krypton
            ProxyJump gate@127.0.0.2:2200

        Host *.lab !secret.lab
            User labuser

        Match host other
            User ignored

        Host *
            User fallback
            IdentityFile ~/.ssh/id_ed25519
        """;

    [Fact]
    public void An_alias_gets_its_block_and_first_values_win()
    {
        var config = SshConfigFile.Resolve(Config, "kr", "/home/me");

        Assert.Equal("127.0.0.1", config.HostName);
        Assert.Equal("jdoe", config.User);
        Assert.Equal(2222, config.Port);
        Assert.Equal(["/home/me/.ssh/id_krypton", "/home/me/.ssh/id_ed25519"], config.IdentityFiles);
        Assert.Equal("gate@127.0.0.2:2200", config.ProxyJump);
    }

    [Theory]
    [InlineData("a.lab", "labuser")]
    [InlineData("secret.lab", "fallback")]
    [InlineData("other", "fallback")]
    public void Patterns_and_negations_choose_the_block(string alias, string user) =>
        Assert.Equal(user, SshConfigFile.Resolve(Config, alias, "/home/me").User);

    [Theory]
    [InlineData("gate@127.0.0.2:2200", "gate", "127.0.0.2", 2200)]
    [InlineData("127.0.0.2", null, "127.0.0.2", null)]
    public void Proxy_jump_values_are_split(string value, string? user, string host, int? port) =>
        Assert.Equal((user, host, port), SshConfigFile.ParseJump(value));

    [Fact]
    public void Several_hops_are_refused_with_a_reason() =>
        Assert.Contains(
            "only one jump host",
            Assert.Throws<RemoteException>(() => SshConfigFile.ParseJump("a,b")).Message
        );
}
