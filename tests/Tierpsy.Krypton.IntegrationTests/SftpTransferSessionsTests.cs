using System.Collections.Concurrent;
using Renci.SshNet;
using Tierpsy.Krypton.Remote;

namespace Tierpsy.Krypton.IntegrationTests;

/// <summary>The SFTP sessions copies run on, with real sessions to the test cluster's sshd.</summary>
public class SftpTransferSessionsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Sessions_for_copies_that_start_together_are_opened_at_the_same_time()
    {
        TestCluster.Require();
        using var connector = new SshConnector(TestCluster.Settings());
        using var control = await connector.ConnectSftpAsync(32 * 1024, Ct);
        var (opening, most) = (0, 0);
        // Each handshake takes a while, as it does with a distant cluster.
        async Task<SftpClient> OpenSlowly(CancellationToken ct)
        {
            var now = Interlocked.Increment(ref opening);
            InterlockedMax(ref most, now);
            try
            {
                await Task.Delay(300, ct);
                return await connector.ConnectSftpAsync(32 * 1024, ct);
            }
            finally
            {
                Interlocked.Decrement(ref opening);
            }
        }
        using var sessions = new SftpTransferSessions(_ => Task.FromResult(control), OpenSlowly)
        {
            ParallelTransfers = 4,
        };
        var used = new ConcurrentBag<SftpClient>();
        var started = 0;
        var allStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var finish = new TaskCompletionSource();

        var copies = Enumerable
            .Range(0, 4)
            .Select(_ =>
                sessions.RunAsync(
                    async client =>
                    {
                        used.Add(client);
                        if (Interlocked.Increment(ref started) == 4)
                            allStarted.SetResult();
                        await finish.Task;
                    },
                    perSession: 1,
                    Ct
                )
            )
            .ToList();
        await allStarted.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        finish.SetResult();
        await Task.WhenAll(copies);

        // One copy on the control session, three on new sessions whose handshakes overlapped.
        Assert.Equal(3, most);
        Assert.Equal(4, used.Distinct().Count());
        Assert.Contains(control, used);
    }

    [Fact]
    public async Task A_session_that_could_not_be_opened_fails_its_copy_and_the_next_copy_opens_another()
    {
        TestCluster.Require();
        using var connector = new SshConnector(TestCluster.Settings());
        using var control = await connector.ConnectSftpAsync(32 * 1024, Ct);
        var opens = 0;
        Task<SftpClient> OpenFailingOnce(CancellationToken ct) =>
            Interlocked.Increment(ref opens) == 1
                ? throw new RemoteException("the login node refused the session")
                : connector.ConnectSftpAsync(32 * 1024, ct);
        using var sessions = new SftpTransferSessions(_ => Task.FromResult(control), OpenFailingOnce)
        {
            ParallelTransfers = 2,
        };
        var holdControl = new TaskCompletionSource();
        var onControl = new TaskCompletionSource<SftpClient>();
        var first = sessions.RunAsync(
            async client =>
            {
                onControl.SetResult(client);
                await holdControl.Task;
            },
            perSession: 1,
            Ct
        );
        var onControlClient = await onControl.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct);

        var refused = await Assert.ThrowsAsync<RemoteException>(() =>
            sessions.RunAsync(_ => Task.CompletedTask, perSession: 1, Ct)
        );
        SftpClient? next = null;
        await sessions.RunAsync(
            client =>
            {
                next = client;
                return Task.CompletedTask;
            },
            perSession: 1,
            Ct
        );
        holdControl.SetResult();
        await first;

        Assert.Equal("the login node refused the session", refused.Message);
        Assert.Same(control, onControlClient);
        Assert.Equal(2, opens);
        Assert.NotNull(next);
        Assert.NotSame(control, next);
        Assert.True(next.IsConnected);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while (
            (seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen
        ) { }
    }
}
