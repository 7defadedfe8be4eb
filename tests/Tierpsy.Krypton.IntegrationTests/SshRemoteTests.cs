using Tierpsy.Krypton.Remote;
using Tierpsy.Krypton.TestSupport;
using Tierpsy.Krypton.Text;

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
    public async Task Commands_run_in_the_login_shells_environment()
    {
        TestCluster.Require();
        // login-bin is on the PATH of login shells only (/etc/profile.d, written by cluster/up.sh), as OpenPBS's qsub
        // is.
        var probe = Path.Combine(TestCluster.Folder, "login-bin", "krypton-login-probe");
        File.WriteAllText(probe, "#!/bin/sh\necho found on the login PATH\n");
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(probe, (UnixFileMode)0b111_101_101);
        await using var remote = await SshRemote.ConnectAsync(TestCluster.Settings(), Ct);

        var result = await remote.RunAsync("krypton-login-probe", cancellationToken: Ct);

        Assert.Equal(new CommandResult(0, "found on the login PATH\n", ""), result);
    }

    [Fact]
    public async Task Commands_share_one_shell_yet_cannot_change_each_others_state()
    {
        TestCluster.Require();
        await using var remote = await SshRemote.ConnectAsync(TestCluster.Settings(), Ct);

        var first = await remote.RunAsync("echo $$; cd /tmp; X=set; exit 3", cancellationToken: Ct);
        var second = await remote.RunAsync(
            "echo $$; pwd; echo ${X:-unset}; cat; printf 'no newline \\0 and a NUL'",
            cancellationToken: Ct
        );
        var third = await remote.RunAsync("echo $$; echo err >&2", cancellationToken: Ct);

        // $$ is the shell's own process: the same one ran all three, so .bashrc ran once.
        var shell = first.Output.Trim();
        Assert.Equal(3, first.ExitCode);
        Assert.Equal(
            new CommandResult(0, $"{shell}\n{await remote.HomeAsync(Ct)}\nunset\nno newline \0 and a NUL", ""),
            second
        );
        Assert.Equal(new CommandResult(0, $"{shell}\n", "err\n"), third);
    }

    [Fact]
    public async Task Commands_at_once_each_get_their_own_output_and_a_timed_out_command_is_reported()
    {
        TestCluster.Require();
        await using var remote = await SshRemote.ConnectAsync(TestCluster.Settings(), Ct);

        var results = await Task.WhenAll(
            Enumerable
                .Range(1, 6)
                .Select(i =>
                    remote.RunAsync(
                        $"sleep 0.{i}; seq 1 {i * 1000} | tail -n 1; echo {i} >&2; exit {i}",
                        cancellationToken: Ct
                    )
                )
        );
        var timedOut = await Assert.ThrowsAsync<RemoteException>(() =>
            remote.RunAsync("sleep 30", TimeSpan.FromSeconds(1), Ct)
        );
        var after = await remote.RunAsync("echo still here", cancellationToken: Ct);

        Assert.Equal(Enumerable.Range(1, 6).Select(i => new CommandResult(i, $"{i * 1000}\n", $"{i}\n")), results);
        Assert.Contains("did not finish within 00:00:01", timedOut.Message);
        Assert.Equal("still here\n", after.Output);
    }

    [Fact]
    public async Task Listing_over_sftp_finds_what_find_finds_with_the_same_sizes_and_times()
    {
        TestCluster.Require();
        await using var remote = await SshRemote.ConnectAsync(TestCluster.Settings() with { RoundTrip = Near }, Ct);
        var root = Path.Combine(TestCluster.Jobs, $"listing $root {Guid.NewGuid():N}");
        string[] names =
        [
            "Results/d/plain.hdf5",
            "Results/d/it's $HOME `x`.hdf5",
            "Results/d/näïve\nline",
            "Results/d/sub/deeper/empty",
            "Raw/one.mp4",
        ];
        foreach (var (name, i) in names.Select((n, i) => (n, i)))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(root, name))!);
            File.WriteAllBytes(Path.Combine(root, name), new byte[i * 1000]);
        }
        Directory.CreateDirectory(Path.Combine(root, "Results", "empty folder"));
        File.CreateSymbolicLink(Path.Combine(root, "Results", "link to file"), Path.Combine(root, names[0]));
        Directory.CreateSymbolicLink(Path.Combine(root, "Results", "link to folder"), Path.Combine(root, "Raw"));

        var overSftp = await remote.ListFilesAsync(root, ["Results", "Raw", "Missing"], Ct);
        var byFind = FileListing.Parse(
            (
                await remote.RunAsync(FileListing.Command(root, ["Results", "Raw", "Missing"]), cancellationToken: Ct)
            ).Output
        );
        var missingRoot = await remote.ListFilesAsync(root + "/nothing here", ["Results"], Ct);

        Assert.Equal(names.Order(StringComparer.Ordinal), overSftp.Select(f => f.Path).Order(StringComparer.Ordinal));
        Assert.Equal(
            byFind.OrderBy(f => f.Path, StringComparer.Ordinal),
            overSftp.OrderBy(f => f.Path, StringComparer.Ordinal)
        );
        Assert.Equal(
            new FileInfo(Path.Combine(root, names[1])).LastWriteTimeUtc.Ticks / TimeSpan.TicksPerSecond
                - DateTime.UnixEpoch.Ticks / TimeSpan.TicksPerSecond,
            overSftp.Single(f => f.Path == names[1]).Modified
        );
        Assert.Empty(missingRoot);
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

        Assert.Equal("content ü\n", listed.Output);
        Assert.Equal("content ü\n", await File.ReadAllTextAsync(file, Ct));
        Assert.True(File.Exists(file));
    }

    [Fact]
    public async Task An_unknown_host_key_stops_with_its_fingerprint_and_is_accepted_only_with_consent()
    {
        TestCluster.Require();
        using var folder = new TempDirectory();
        var knownHosts = Path.Combine(folder.Path, "known_hosts");
        var expected = KnownHosts.Fingerprint(
            Convert.FromBase64String(File.ReadAllText(TestCluster.HostKeyPublic).Split(' ')[1])
        );

        var refused = await Assert.ThrowsAsync<RemoteException>(() =>
            SshRemote.ConnectAsync(TestCluster.Settings(knownHosts), Ct)
        );
        Assert.Contains($"is not in known_hosts yet. It presented the ssh-ed25519 key {expected}", refused.Message);
        Assert.Contains($"--accept-host-key {expected}", refused.Message);
        Assert.False(File.Exists(knownHosts));

        var wrong = await Assert.ThrowsAsync<RemoteException>(() =>
            SshRemote.ConnectAsync(
                TestCluster.Settings(knownHosts) with
                {
                    AcceptFingerprint = "SHA256:somethingelse",
                },
                Ct
            )
        );
        Assert.Contains("not in known_hosts", wrong.Message);

        await (
            await SshRemote.ConnectAsync(TestCluster.Settings(knownHosts) with { AcceptFingerprint = expected }, Ct)
        ).DisposeAsync();
        await using var later = await SshRemote.ConnectAsync(TestCluster.Settings(knownHosts), Ct);
        Assert.Equal(0, (await later.RunAsync("true", cancellationToken: Ct)).ExitCode);
    }

    [Fact]
    public async Task A_changed_host_key_stops_the_run_even_with_consent_for_the_new_key()
    {
        TestCluster.Require();
        using var folder = new TempDirectory();
        var knownHosts = folder.Write(
            "known_hosts",
            $"[127.0.0.1]:{TestCluster.Port} ssh-ed25519 {Convert.ToBase64String(new byte[51])}\n"
        );
        var real = KnownHosts.Fingerprint(
            Convert.FromBase64String(File.ReadAllText(TestCluster.HostKeyPublic).Split(' ')[1])
        );

        var error = await Assert.ThrowsAsync<RemoteException>(() =>
            SshRemote.ConnectAsync(TestCluster.Settings(knownHosts) with { AcceptFingerprint = real }, Ct)
        );

        Assert.Contains("has CHANGED", error.Message);
        Assert.Contains("ssh-keygen -R", error.Message);
    }

    [Fact]
    public async Task A_hashed_known_hosts_entry_is_trusted()
    {
        TestCluster.Require();
        using var folder = new TempDirectory();
        var knownHosts = folder.Write("known_hosts", File.ReadAllText(TestCluster.KnownHosts));
        var hashed = await ProcessRunner.RunAsync(
            "ssh-keygen",
            ["-H", "-f", knownHosts],
            folder.Path,
            cancellation: Ct
        );
        Assert.Equal(0, hashed.ExitCode);

        await using var remote = await SshRemote.ConnectAsync(TestCluster.Settings(knownHosts), Ct);
        Assert.Equal(0, (await remote.RunAsync("true", cancellationToken: Ct)).ExitCode);
    }

    [Fact]
    public async Task Through_a_jump_host_commands_and_copies_go_through_its_tunnel()
    {
        TestCluster.Require();
        using var folder = new TempDirectory();
        // The jump host is the same sshd behind a counting proxy; known_hosts lists its key under the proxy's port
        // too (the login node keeps its own entry: its key is checked by its real name, not the tunnel's port).
        await using var jump = new CuttingProxy(TestCluster.Port, long.MaxValue);
        var hostKey = File.ReadAllText(TestCluster.HostKeyPublic).Split(' ');
        var knownHosts = folder.Write(
            "known_hosts",
            File.ReadAllText(TestCluster.KnownHosts).TrimEnd('\n')
                + "\n"
                + KnownHosts.Line("127.0.0.1", jump.Port, hostKey[0], Convert.FromBase64String(hostKey[1]))
                + "\n"
        );
        var bytes = new byte[3 << 20];
        new Random(5).NextBytes(bytes);
        var local = Path.Combine(folder.Path, "video.bin");
        File.WriteAllBytes(local, bytes);
        var remoteFolder = RemotePath.Combine(TestCluster.Jobs, $"jump {Guid.NewGuid():N}");

        try
        {
            await using var remote = await SshRemote.ConnectAsync(
                TestCluster.Settings(knownHosts) with
                {
                    ProxyJump = $"root@127.0.0.1:{jump.Port}",
                },
                Ct
            );
            var echoed = await remote.RunAsync("echo through", cancellationToken: Ct);
            await remote.UploadAsync(
                local,
                RemotePath.Combine(remoteFolder, "video.bin"),
                0,
                null,
                cancellationToken: Ct
            );
            await remote.DownloadAsync(
                RemotePath.Combine(remoteFolder, "video.bin"),
                Path.Combine(folder.Path, "back.bin"),
                0,
                null,
                cancellationToken: Ct
            );

            Assert.Equal("through\n", echoed.Output);
            Assert.Equal(bytes, File.ReadAllBytes(Path.Combine(folder.Path, "back.bin")));
            Assert.True(
                jump.Forwarded > bytes.Length,
                $"The upload should have gone through the jump host, which forwarded only {jump.Forwarded} bytes."
            );
        }
        finally
        {
            if (Directory.Exists(remoteFolder))
                Directory.Delete(remoteFolder, recursive: true);
        }
    }

    [Fact]
    public async Task A_distant_cluster_is_listed_with_one_command_that_finds_what_sftp_finds_nearby()
    {
        TestCluster.Require();
        using var folder = new TempDirectory();
        var root = Path.Combine(TestCluster.Jobs, $"far listing $root {Guid.NewGuid():N}");
        foreach (var name in new[] { "Results/d/a.hdf5", "Results/d/e/f/it's $HOME.hdf5", "Raw/one.mp4" })
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(root, name))!);
            File.WriteAllText(Path.Combine(root, name), name);
        }
        await using var far = new DelayingProxy(TestCluster.Port, TimeSpan.FromMilliseconds(20));

        try
        {
            await using var near = await SshRemote.ConnectAsync(TestCluster.Settings() with { RoundTrip = Near }, Ct);
            await using var distant = await SshRemote.ConnectAsync(
                TestCluster.Settings(KnownHostsThrough(folder, far.Port), port: far.Port),
                Ct
            );
            var overSftp = await near.ListFilesAsync(root, ["Results", "Raw"], Ct);
            var byFind = await distant.ListFilesAsync(root, ["Results", "Raw"], Ct);

            // One round trip for the whole tree instead of several per folder level; nearby, no shell is needed.
            Assert.Equal(1, distant.CommandsSent);
            Assert.Equal(0, near.CommandsSent);
            Assert.Equal(3, overSftp.Count);
            Assert.Equal(
                overSftp.OrderBy(f => f.Path, StringComparer.Ordinal),
                byFind.OrderBy(f => f.Path, StringComparer.Ordinal)
            );
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Theory]
    [InlineData(false, 2)]
    [InlineData(true, 5)]
    public async Task Copies_to_a_distant_cluster_each_get_a_connection_and_copies_to_a_near_one_share_it(
        bool distant,
        int connections
    )
    {
        TestCluster.Require();
        using var folder = new TempDirectory();
        // Four uploads at once.
        await using var proxy = Link(distant);
        var remoteFolder = RemotePath.Combine(TestCluster.Jobs, $"link {Guid.NewGuid():N}");
        var files = Enumerable
            .Range(0, 4)
            .Select(i => folder.Write($"video{i}.bin", new string((char)('a' + i), 1 << 20)))
            .ToList();

        try
        {
            await using var remote = await ConnectThroughAsync(folder, proxy, distant);
            await Task.WhenAll(
                files.Select(f =>
                    remote.UploadAsync(f, RemotePath.Combine(remoteFolder, Path.GetFileName(f)), 0, null, null, Ct)
                )
            );

            // The SSH connection for commands, the control SFTP session, and on a distant link three more sessions.
            Assert.Equal(connections, proxy.Accepted);
            foreach (var file in files)
                Assert.Equal(
                    File.ReadAllBytes(file),
                    File.ReadAllBytes(Path.Combine(remoteFolder, Path.GetFileName(file)))
                );
        }
        finally
        {
            if (Directory.Exists(remoteFolder))
                Directory.Delete(remoteFolder, recursive: true);
        }
    }

    [Theory]
    [InlineData(false, 2)]
    [InlineData(true, 5)]
    public async Task Copies_to_a_distant_cluster_get_their_connections_when_announced(bool distant, int connections)
    {
        TestCluster.Require();
        using var folder = new TempDirectory();
        await using var proxy = Link(distant);
        await using var remote = await ConnectThroughAsync(folder, proxy, distant);

        // As Stage does while it lists and hashes, before its first copy.
        remote.PrepareCopies();
        var asked = DateTime.UtcNow;
        while (proxy.Accepted < connections && DateTime.UtcNow - asked < TimeSpan.FromSeconds(20))
            await Task.Delay(50, Ct);
        await Task.Delay(500, Ct); // and no more than that

        Assert.Equal(connections, proxy.Accepted);
    }

    [Theory]
    [InlineData(false, 2)]
    [InlineData(true, 5)]
    public async Task Downloads_from_a_distant_cluster_run_at_once_and_from_a_near_one_as_the_cores_allow(
        bool distant,
        int connections
    )
    {
        TestCluster.Require();
        using var folder = new TempDirectory();
        await using var proxy = Link(distant);
        var remoteFolder = RemotePath.Combine(TestCluster.Jobs, $"link {Guid.NewGuid():N}");
        Directory.CreateDirectory(remoteFolder);
        var names = Enumerable.Range(0, 4).Select(i => $"result{i}.hdf5").ToList();
        foreach (var name in names)
            File.WriteAllText(Path.Combine(remoteFolder, name), new string('r', 1 << 20));

        try
        {
            await using var remote = await ConnectThroughAsync(folder, proxy, distant);
            // As Retrieve sets them on a computer of two cores: one download at once where the cluster is near.
            (remote.ParallelTransfers, remote.DistantParallelTransfers) = (1, 4);
            await Task.WhenAll(
                names.Select(n =>
                    remote.DownloadAsync(
                        RemotePath.Combine(remoteFolder, n),
                        Path.Combine(folder.Path, n),
                        0,
                        null,
                        null,
                        Ct
                    )
                )
            );

            Assert.Equal(connections, proxy.Accepted);
            foreach (var name in names)
                Assert.Equal(
                    File.ReadAllBytes(Path.Combine(remoteFolder, name)),
                    File.ReadAllBytes(Path.Combine(folder.Path, name))
                );
        }
        finally
        {
            if (Directory.Exists(remoteFolder))
                Directory.Delete(remoteFolder, recursive: true);
        }
    }

    /// <summary>
    /// The round trip of a near link, as the test cluster on this machine has. Tests of a near link say so: while other
    /// tests keep both cores busy, a request on this machine can be answered later than one through a distant link.
    /// </summary>
    private static readonly TimeSpan Near = TimeSpan.FromMilliseconds(0.2);

    /// <summary>A near cluster behind a proxy that only counts connections, or a distant one 20 ms away.</summary>
    private static LoopbackProxy Link(bool distant) =>
        distant
            ? new DelayingProxy(TestCluster.Port, TimeSpan.FromMilliseconds(20))
            : new CuttingProxy(TestCluster.Port, long.MaxValue);

    /// <summary>Connects through <paramref name="proxy"/>; a near link says so (<see cref="Near"/>).</summary>
    private static Task<SshRemote> ConnectThroughAsync(TempDirectory folder, LoopbackProxy proxy, bool distant) =>
        SshRemote.ConnectAsync(
            TestCluster.Settings(KnownHostsThrough(folder, proxy.Port), port: proxy.Port) with
            {
                RoundTrip = distant ? null : Near,
            },
            Ct
        );

    /// <summary>A known_hosts that lists the test sshd's key under a proxy's port.</summary>
    private static string KnownHostsThrough(TempDirectory folder, int port)
    {
        var hostKey = File.ReadAllText(TestCluster.HostKeyPublic).Split(' ');
        return folder.Write(
            "known_hosts_proxy",
            KnownHosts.Line("127.0.0.1", port, hostKey[0], Convert.FromBase64String(hostKey[1])) + "\n"
        );
    }

    [Fact]
    public async Task A_wrong_user_and_an_unreachable_port_are_clear_errors()
    {
        TestCluster.Require();

        var user = await Assert.ThrowsAsync<RemoteException>(() =>
            SshRemote.ConnectAsync(TestCluster.Settings(user: "nosuchuser"), Ct)
        );
        var port = await Assert.ThrowsAsync<RemoteException>(() =>
            SshRemote.ConnectAsync(TestCluster.Settings(port: 1), Ct)
        );

        Assert.Contains("nosuchuser@127.0.0.1", user.Message);
        Assert.Contains("refused the login", user.Message);
        Assert.Contains("Cannot reach 127.0.0.1:1", port.Message);
    }

    [Fact]
    public async Task A_connection_lost_while_a_text_file_is_written_is_reported_as_a_lost_connection()
    {
        TestCluster.Require();
        using var folder = new TempDirectory();
        // Enough for the login and the SFTP session, not for the 4 MB file (a list file of many names).
        await using var proxy = new CuttingProxy(TestCluster.Port, cutAfterBytes: 500_000);
        var hostKey = File.ReadAllText(TestCluster.HostKeyPublic).Split(' ');
        var knownHosts = folder.Write(
            "known_hosts",
            KnownHosts.Line("127.0.0.1", proxy.Port, hostKey[0], Convert.FromBase64String(hostKey[1])) + "\n"
        );
        await using var remote = await SshRemote.ConnectAsync(TestCluster.Settings(knownHosts, port: proxy.Port), Ct);
        await remote.HomeAsync(Ct);
        var path = RemotePath.Combine(TestCluster.Jobs, $"lost {Guid.NewGuid():N}.list");

        var lost = await Assert.ThrowsAsync<RemoteException>(() =>
            remote.WriteTextAsync(path, new string('x', 4_000_000), Ct)
        );

        Assert.Equal(RemoteFailure.ConnectionLost, lost.Reason);
        Assert.Contains($"was lost while writing {path}", lost.Message);
        File.Delete(path);
    }

    [Fact]
    public async Task A_login_shell_that_is_slow_to_start_is_named_while_it_is_awaited()
    {
        TestCluster.Require();
        using var folder = new TempDirectory();
        // cluster/up.sh makes login shells of connections from 127.0.0.2 sleep 7 s, as a slow .bashrc would.
        await using var slow = new CuttingProxy(
            TestCluster.Port,
            long.MaxValue,
            System.Net.IPAddress.Parse("127.0.0.2")
        );
        var hostKey = File.ReadAllText(TestCluster.HostKeyPublic).Split(' ');
        var knownHosts = folder.Write(
            "known_hosts",
            KnownHosts.Line("127.0.0.1", slow.Port, hostKey[0], Convert.FromBase64String(hostKey[1])) + "\n"
        );
        var notices = new List<(TimeSpan At, string Text)>();
        await using var remote = await SshRemote.ConnectAsync(TestCluster.Settings(knownHosts, port: slow.Port), Ct);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        remote.Notice = text => notices.Add((clock.Elapsed, text));

        var result = await remote.RunAsync("echo started", cancellationToken: Ct);

        Assert.Equal("started\n", result.Output);
        var notice = Assert.Single(notices);
        Assert.Contains(
            "Waiting for the login shell on 127.0.0.1 to start (over 5 s): is its .bashrc or " + ".bash_profile slow",
            notice.Text
        );
        Assert.InRange(notice.At, TimeSpan.FromSeconds(4.5), TimeSpan.FromSeconds(7));
        await remote.RunAsync("true", cancellationToken: Ct);
        Assert.Single(notices); // the shell stays: later commands do not wait for it again
    }

    [Fact]
    public async Task Connections_send_keepalives_and_count_unacknowledged_data_after_30_s_as_a_dead_link()
    {
        TestCluster.Require();
        // This machine cannot drop packets (no netem, no iptables), so the options that make the system do it are
        // read back from the connected sockets.
        using var connector = new SshConnector(TestCluster.Settings());
        using var sftp = await connector.ConnectSftpAsync(128 * 1024, Ct);
        using var ssh = await connector.ConnectSshAsync(Ct);

        foreach (var client in new Renci.SshNet.BaseClient[] { sftp, ssh })
        {
            Assert.Equal(TimeSpan.FromSeconds(10), client.KeepAliveInterval);
            var option = new byte[4];
            // IPPROTO_TCP, TCP_USER_TIMEOUT
            Assert.Equal(4, SocketBuffers.Of(client)!.GetRawSocketOption(6, 18, option));
            Assert.Equal(30_000, BitConverter.ToInt32(option));
        }
    }

    [Fact]
    public async Task Keys_held_by_ssh_agent_log_in_when_no_key_file_can()
    {
        TestCluster.Require();
        using var folder = new TempDirectory();
        var socket = Path.Combine(folder.Path, "agent.sock");
        var agent = await ProcessRunner.RunAsync(
            "ssh-agent",
            ["-a", socket, "-s"],
            folder.Path,
            null,
            TimeSpan.FromSeconds(30),
            Ct
        );
        Assert.True(agent.ExitCode == 0, agent.ToString());
        var pid = System.Text.RegularExpressions.Regex.Match(agent.Output, @"SSH_AGENT_PID=(\d+)").Groups[1].Value;
        try
        {
            // The cluster's key, protected by a passphrase the build is not given, and held by the agent.
            var key = Path.Combine(folder.Path, "id_ed25519");
            File.Copy(TestCluster.ClientKey, key);
            if (!OperatingSystem.IsWindows())
                File.SetUnixFileMode(key, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            var protect = await ProcessRunner.RunAsync(
                "ssh-keygen",
                ["-p", "-q", "-N", "secret words", "-P", "", "-f", key],
                folder.Path,
                null,
                TimeSpan.FromSeconds(30),
                Ct
            );
            Assert.True(protect.ExitCode == 0, protect.ToString());
            var added = await ProcessRunner.RunAsync(
                "ssh-add",
                [TestCluster.ClientKey],
                folder.Path,
                new Dictionary<string, string?> { ["SSH_AUTH_SOCK"] = socket },
                TimeSpan.FromSeconds(30),
                Ct
            );
            Assert.True(added.ExitCode == 0, added.ToString());

            await using (
                var onlyAgent = await SshRemote.ConnectAsync(
                    TestCluster.Settings() with
                    {
                        IdentityFiles = [],
                        AgentSocket = socket,
                    },
                    Ct
                )
            )
                Assert.Equal("agent\n", (await onlyAgent.RunAsync("echo agent", cancellationToken: Ct)).Output);
            await using (
                var protectedFile = await SshRemote.ConnectAsync(
                    TestCluster.Settings() with
                    {
                        IdentityFiles = [key],
                        AgentSocket = socket,
                    },
                    Ct
                )
            )
                Assert.Equal("agent\n", (await protectedFile.RunAsync("echo agent", cancellationToken: Ct)).Output);
        }
        finally
        {
            await ProcessRunner.RunAsync("kill", [pid], folder.Path, null, TimeSpan.FromSeconds(10), Ct);
        }

        var none = await Assert.ThrowsAsync<RemoteException>(() =>
            SshRemote.ConnectAsync(TestCluster.Settings() with { IdentityFiles = [], AgentSocket = null }, Ct)
        );
        Assert.Contains("No SSH key to log in with", none.Message);
        Assert.Contains("ssh-add", none.Message);
    }

    [Fact]
    public async Task A_public_key_given_as_the_key_file_says_to_give_the_private_key()
    {
        TestCluster.Require();
        using var folder = new TempDirectory();
        var pub = folder.Write("id_ed25519.pub", File.ReadAllText(TestCluster.HostKeyPublic));

        var error = await Assert.ThrowsAsync<RemoteException>(() =>
            SshRemote.ConnectAsync(TestCluster.Settings() with { IdentityFiles = [pub] }, Ct)
        );

        Assert.Contains($"The SSH key {pub} is a public key", error.Message);
        Assert.Contains($"Give the private key instead: {pub[..^4]}.", error.Message);
    }
}
