using Tierpsy.Krypton.Remote;
using Tierpsy.Krypton.TestSupport;

namespace Tierpsy.Krypton.IntegrationTests;

/// <summary>SshRemote against the real OpenSSH server of the test cluster.</summary>
public class SshRemoteTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Runs_commands_with_stdout_stderr_and_exit_status_over_one_connection()
    {
        TestCluster.Require();
        await using var remote = await SshRemote.ConnectAsync(TestCluster.Settings(), Ct);

        var result = await remote.RunAsync("echo out; echo err >&2; exit 7", cancellationToken: Ct);
        var again = await remote.RunAsync("echo $SLURM_CONF", cancellationToken: Ct);

        Assert.Equal(new CommandResult(7, "out\n", "err\n"), result);
        Assert.EndsWith("slurm.conf\n", again.Output);
        Assert.Equal("root@127.0.0.1:" + TestCluster.Port, remote.Description);
    }

    [Fact]
    public async Task Paths_with_spaces_quotes_dollars_and_non_ascii_round_trip()
    {
        TestCluster.Require();
        await using var remote = await SshRemote.ConnectAsync(TestCluster.Settings(), Ct);
        var folder = RemotePath.Combine(TestCluster.Jobs, $"behavgenom$ it's {Guid.NewGuid():N}", "näïve 日本");
        var file = RemotePath.Combine(folder, "a \"b\" $HOME `x`.txt");

        await remote.WriteTextAsync(file, "content ü\n", Ct);
        var listed = await remote.RunAsync($"cat {ShellQuote.Path(file)}", cancellationToken: Ct);
        var read = await remote.ReadTextAsync(file, Ct);

        Assert.Equal("content ü\n", listed.Output);
        Assert.Equal("content ü\n", read);
        Assert.True(File.Exists(file));
    }

    [Fact]
    public async Task An_unknown_host_key_stops_with_its_fingerprint_and_is_accepted_only_with_consent()
    {
        TestCluster.Require();
        using var folder = new TempDirectory();
        var knownHosts = Path.Combine(folder.Path, "known_hosts");
        var expected = KnownHosts.Fingerprint(Convert.FromBase64String(File.ReadAllText(TestCluster.HostKeyPublic).Split(' ')[1]));

        var refused = await Assert.ThrowsAsync<RemoteException>(() => SshRemote.ConnectAsync(TestCluster.Settings(knownHosts), Ct));
        Assert.Contains($"is not in known_hosts yet. It presented the ssh-ed25519 key {expected}", refused.Message);
        Assert.Contains($"--accept-host-key {expected}", refused.Message);
        Assert.False(File.Exists(knownHosts));

        var wrong = await Assert.ThrowsAsync<RemoteException>(() => SshRemote.ConnectAsync(TestCluster.Settings(knownHosts) with { AcceptFingerprint = "SHA256:somethingelse" }, Ct));
        Assert.Contains("not in known_hosts", wrong.Message);

        await (await SshRemote.ConnectAsync(TestCluster.Settings(knownHosts) with { AcceptFingerprint = expected }, Ct)).DisposeAsync();
        await using var later = await SshRemote.ConnectAsync(TestCluster.Settings(knownHosts), Ct);
        Assert.Equal(0, (await later.RunAsync("true", cancellationToken: Ct)).ExitCode);
    }

    [Fact]
    public async Task A_changed_host_key_stops_the_run_even_with_consent_for_the_new_key()
    {
        TestCluster.Require();
        using var folder = new TempDirectory();
        var knownHosts = folder.Write("known_hosts", $"[127.0.0.1]:{TestCluster.Port} ssh-ed25519 {Convert.ToBase64String(new byte[51])}\n");
        var real = KnownHosts.Fingerprint(Convert.FromBase64String(File.ReadAllText(TestCluster.HostKeyPublic).Split(' ')[1]));

        var error = await Assert.ThrowsAsync<RemoteException>(() => SshRemote.ConnectAsync(TestCluster.Settings(knownHosts) with { AcceptFingerprint = real }, Ct));

        Assert.Contains("has CHANGED", error.Message);
        Assert.Contains("ssh-keygen -R", error.Message);
    }

    [Fact]
    public async Task A_hashed_known_hosts_entry_is_trusted()
    {
        TestCluster.Require();
        using var folder = new TempDirectory();
        var knownHosts = folder.Write("known_hosts", File.ReadAllText(TestCluster.KnownHosts));
        var hashed = await ProcessRunner.RunAsync("ssh-keygen", ["-H", "-f", knownHosts], folder.Path, cancellation: Ct);
        Assert.Equal(0, hashed.ExitCode);

        await using var remote = await SshRemote.ConnectAsync(TestCluster.Settings(knownHosts), Ct);
        Assert.Equal(0, (await remote.RunAsync("true", cancellationToken: Ct)).ExitCode);
    }

    [Fact]
    public async Task A_wrong_user_and_an_unreachable_port_are_clear_errors()
    {
        TestCluster.Require();

        var user = await Assert.ThrowsAsync<RemoteException>(() => SshRemote.ConnectAsync(TestCluster.Settings(user: "nosuchuser"), Ct));
        var port = await Assert.ThrowsAsync<RemoteException>(() => SshRemote.ConnectAsync(TestCluster.Settings(port: 1), Ct));

        Assert.Contains("nosuchuser@127.0.0.1", user.Message);
        Assert.Contains("refused the login", user.Message);
        Assert.Contains("Cannot reach 127.0.0.1:1", port.Message);
    }
}
