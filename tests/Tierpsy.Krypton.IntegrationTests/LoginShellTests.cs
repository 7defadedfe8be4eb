using Tierpsy.Krypton.Remote;

namespace Tierpsy.Krypton.IntegrationTests;

/// <summary>
/// When SshRemote starts its login shells. The test cluster runs on this machine, so its shells are processes here.
/// No other test of this assembly runs meanwhile (the collection is not run in parallel), but a shell of a connection
/// an earlier test closed may still be starting or ending, so the connection's own count decides how many it started.
/// </summary>
[Collection(nameof(LoginShellTests))]
public class LoginShellTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_login_shell_starts_with_the_connection_and_the_first_command_runs_in_it()
    {
        TestCluster.Require();
        var before = LoginShells();

        await using var remote = await SshRemote.ConnectAsync(TestCluster.Settings(), Ct);
        // No command yet: the shell starts while the SFTP session opens and the local files are read.
        var started = DateTime.UtcNow;
        while (LoginShells() <= before && DateTime.UtcNow - started < TimeSpan.FromSeconds(20))
            await Task.Delay(50, Ct);
        Assert.True(LoginShells() > before, "no login shell started with the connection");
        Assert.Equal(1, remote.ShellsStarted);
        var answer = await remote.RunAsync("echo ran", cancellationToken: Ct);

        Assert.Equal("ran\n", answer.Output);
        // Counted by the connection itself: a shell of an earlier test's connection may still be ending here.
        Assert.Equal(1, remote.ShellsStarted);
    }

    /// <summary>The command loops of SshRemote's login shells (RemoteShell) running on this machine.</summary>
    private static int LoginShells() =>
        Directory
            .GetDirectories("/proc")
            .Where(d => int.TryParse(Path.GetFileName(d), out _))
            .Count(d =>
            {
                try
                {
                    var line = File.ReadAllText(Path.Combine(d, "cmdline"));
                    return line.StartsWith("bash\0", StringComparison.Ordinal)
                        && line.Contains("__krypton_command", StringComparison.Ordinal);
                }
                catch (IOException)
                {
                    return false; // ended meanwhile
                }
            });
}

[CollectionDefinition(nameof(LoginShellTests), DisableParallelization = true)]
public sealed class LoginShellsAlone;
