using Tierpsy.Krypton.Remote;
using Tierpsy.Krypton.Text;
using Tierpsy.Krypton.Workflow;

namespace Tierpsy.Krypton.IntegrationTests;

/// <summary>The project's lock on the cluster, taken over a real SSH connection.</summary>
public class ClusterLockTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_free_lock_in_an_existing_workspace_takes_no_command_and_another_run_learns_its_holder()
    {
        TestCluster.Require();
        var top = RemotePath.Combine(TestCluster.Jobs, $"lock {Guid.NewGuid():N}");
        var workspace = RemotePath.Combine(top, "it's $HOME");
        var folder = Path.Combine(workspace, "transfer.lock");
        try
        {
            await using var remote = new ChangingRemote(await SshRemote.ConnectAsync(TestCluster.Settings(), Ct));
            // A project's first run: its workspace does not exist yet, and the lock's command creates it.
            await using (await ClusterLock.AcquireAsync(remote, workspace, "Stage", _ => { }, Ct))
                Assert.True(File.Exists(Path.Combine(folder, "owner")));
            Assert.False(Directory.Exists(folder), "the lock is released");
            remote.Commands.Clear();

            await using (await ClusterLock.AcquireAsync(remote, workspace, "Stage", _ => { }, Ct))
            {
                // Over SFTP: no login shell has to start before the copies can begin.
                Assert.Empty(remote.Commands);
                var owner = File.ReadAllText(Path.Combine(folder, "owner"));
                Assert.Matches("^token=[0-9a-f]{32}\ntarget=Stage\n", owner);
                var second = await Assert.ThrowsAsync<ClusterLockHeldException>(() =>
                    ClusterLock.AcquireAsync(remote, workspace, "Retrieve", _ => { }, Ct)
                );
                Assert.StartsWith($"Stage from {Environment.MachineName} (", second.Holder);
            }

            Assert.False(Directory.Exists(folder), "the lock is released");
        }
        finally
        {
            if (Directory.Exists(top))
                Directory.Delete(top, recursive: true);
        }
    }
}
