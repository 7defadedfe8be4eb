using Tierpsy.Krypton.Targets;

namespace Tierpsy.Krypton.Tests.Targets;

public class ParameterNamesTests
{
    [Theory]
    [InlineData("RemoteRoot", "remote-root", "REMOTE_ROOT")]
    [InlineData("Host", "host", "HOST")]
    [InlineData("SSHPort", "ssh-port", "SSH_PORT")]
    [InlineData("MaxAttempts2", "max-attempts2", "MAX_ATTEMPTS2")]
    public void Spells_options_and_environment_names(string member, string option, string environment)
    {
        Assert.Equal(option, ParameterNames.Kebab(member));
        Assert.Equal(environment, ParameterNames.Environment(member));
    }

    [Fact]
    public void Suggests_only_close_names()
    {
        Assert.Equal("--remote-root", Suggestions.Closest("--remote-rot", ["--host", "--remote-root"]));
        Assert.Null(Suggestions.Closest("--completely-different", ["--host", "--remote-root"]));
    }
}
