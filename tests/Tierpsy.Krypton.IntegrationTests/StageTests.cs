using System.Security.Cryptography;
using System.Text.Json;
using Tierpsy.Krypton.TestSupport;

namespace Tierpsy.Krypton.IntegrationTests;

/// <summary>
/// Stage over the real sshd: day folders and sources, skips, resume, faults, files that change while copied.
/// </summary>
[Collection(Collection)]
public class StageTests : TransferTestBase
{
    [Fact]
    public void Stage_copies_day_folders_whole_and_a_second_run_copies_nothing()
    {
        TestCluster.Require();
        using var setup = new Setup();

        var first = Run(setup.Project.Path, "Stage", "--source", setup.Day);
        var second = Run(setup.Project.Path, "Stage", "--source", setup.Day);

        Assert.True(first.ExitCode == 0, first.All);
        setup.AssertStaged();
        Assert.True(File.Exists(setup.Remote("AuxiliaryFiles/params.json")));
        Assert.Contains("Staged 5 files", first.Output);
        Assert.True(second.ExitCode == 0, second.All);
        Assert.Contains("Staged 0 files (0 B); 5 were already on the cluster with the same SHA-256", second.Output);
        Assert.Empty(Directory.GetFiles(setup.RemoteRoot, "*.krypton-partial", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Stage_to_a_distant_cluster_runs_every_command_in_the_login_shell_its_connection_started()
    {
        TestCluster.Require();
        using var setup = new Setup();
        var day = LargeVideosOnly(setup);
        await using var far = ThroughDistantLink(setup);
        Remote.SshRemote? ssh = null;
        var build = new ChangingBuild(inner =>
        {
            ssh = (Remote.SshRemote)inner;
            return new ChangingRemote(inner);
        });

        var staged = Run(build, setup.Project.Path, "Stage", "--source", day);

        Assert.True(staged.ExitCode == 0, staged.All);
        Assert.Contains("Staged 3 files", staged.Output);
        // The lock, the listing (one find through a distant link) and the verifier's rounds, one after another.
        Assert.Equal(1, ssh!.ShellsStarted);
    }

    [Fact]
    public async Task Stage_to_a_distant_cluster_opens_connections_for_copies_only_when_something_is_to_be_copied()
    {
        TestCluster.Require();
        using var setup = new Setup();
        var day = LargeVideosOnly(setup);
        await using var far = ThroughDistantLink(setup);

        var first = Run(setup.Project.Path, "Stage", "--source", day);
        var copying = far.Accepted;
        var again = Run(setup.Project.Path, "Stage", "--source", day);

        Assert.True(first.ExitCode == 0, first.All);
        Assert.True(again.ExitCode == 0, again.All);
        Assert.Contains("Staged 0 files (0 B); 3 were already on the cluster", again.Output);
        // The SSH connection and the SFTP session each time, and three more for the first Stage's 4 copies at once.
        Assert.Equal(5, copying);
        Assert.Equal(2, far.Accepted - copying);
    }

    /// <summary>Has the project connect through a proxy 20 ms away from the test sshd: a distant cluster.</summary>
    private static DelayingProxy ThroughDistantLink(Setup setup)
    {
        var far = new DelayingProxy(TestCluster.Port, TimeSpan.FromMilliseconds(20));
        setup.ThroughProxy(far.Port);
        return far;
    }

    /// <summary>
    /// A day of three videos too large for a batch (whose commands may run beside the verifier's), and no
    /// AuxiliaryFiles; returns the day folder.
    /// </summary>
    private static string LargeVideosOnly(Setup setup)
    {
        Directory.Delete(Path.Combine(setup.Project.Path, "AuxiliaryFiles"), recursive: true);
        foreach (var camera in new[] { "a", "b", "c" })
            setup.Share.Write($"20210507/cam {camera}.1/000000.mp4", new string(camera[0], 3 << 20));
        return Path.Combine(setup.Share.Path, "20210507");
    }

    [Fact]
    public void Several_sources_at_once_a_day_folder_keeps_its_name_another_folder_gives_its_content_and_a_clash_copies_nothing()
    {
        TestCluster.Require();
        using var setup = new Setup();
        setup.Share.Write("more videos/20210505/cam.1/000000.mp4", "day five");
        setup.Share.Write("more videos/notes.txt", "beside the days");

        var staged = Run(
            setup.Project.Path,
            "Stage",
            "--source",
            setup.Day,
            "--source",
            Path.Combine(setup.Share.Path, "more videos")
        );

        Assert.True(staged.ExitCode == 0, staged.All);
        setup.AssertStaged();
        Assert.Equal("day five", File.ReadAllText(setup.Remote("RawVideos/20210505/cam.1/000000.mp4")));
        Assert.Equal("beside the days", File.ReadAllText(setup.Remote("RawVideos/notes.txt")));

        // Another copy of day 20210504 from elsewhere would land on the same cluster paths.
        var elsewhere = Path.Combine(setup.Share.Path, "backup", "20210504");
        Directory.CreateDirectory(Path.GetDirectoryName(elsewhere)!);
        CopyTree(setup.Day, elsewhere);
        File.WriteAllText(Path.Combine(setup.Day, "empty.txt"), "changed here, so a copy would be needed");
        var clash = Run(setup.Project.Path, "Stage", "--source", setup.Day, "--source", elsewhere);

        Assert.Equal(1, clash.ExitCode);
        Assert.Contains("Two sources would both write RawVideos/20210504/", clash.Error);
        Assert.Contains("Nothing was copied", clash.Error);
        Assert.Equal("", File.ReadAllText(setup.Remote("RawVideos/20210504/empty.txt")));
    }

    [Fact]
    public void A_video_of_the_same_name_from_another_share_never_replaces_the_staged_one_unasked()
    {
        TestCluster.Require();
        using var setup = new Setup();
        Assert.Equal(0, Run(setup.Project.Path, "Stage", "--source", setup.Day).ExitCode);
        var staged = File.ReadAllBytes(setup.StagedVideo);
        // The same day and camera names from another rig's share, but another video; and the first one's results.
        var other = Path.Combine(setup.Share.Path, "rig two", "20210504");
        setup.Share.Write(Path.Combine("rig two", "20210504", "cam one.22956818", "000000.mp4"), "another video");
        setup.Share.Write(
            Path.Combine("rig two", "20210504", "cam one.22956818", "metadata.yaml"),
            "__store: imgstore\n"
        );
        var result = setup.Remote("Results/20210504/cam one.22956818/metadata_featuresN.hdf5");
        Directory.CreateDirectory(Path.GetDirectoryName(result)!);
        File.WriteAllText(result, "made from the first video");

        var refused = Run(setup.Project.Path, "Stage", "--source", other);

        Assert.Equal(1, refused.ExitCode);
        Assert.Contains(
            $"RawVideos/20210504/cam one.22956818/000000.mp4: on the cluster it is the copy of {setup.Video}, "
                + $"and {Path.Combine(other, "cam one.22956818", "000000.mp4")} is a different file",
            refused.Error
        );
        Assert.Contains("rename the folder of the new ones", refused.Error);
        Assert.DoesNotContain("Stage them separately", refused.All);
        Assert.Equal(staged, File.ReadAllBytes(setup.StagedVideo));

        var replaced = Run(setup.Project.Path, "Stage", "--source", other, "--replace");

        Assert.True(replaced.ExitCode == 0, replaced.All);
        Assert.Equal("another video", File.ReadAllText(setup.StagedVideo));
        Assert.Contains("were made from the old videos and are stale", replaced.Error);
        Assert.Contains("Results/20210504/cam one.22956818/metadata_featuresN.hdf5", replaced.Error);
    }

    [Fact]
    public void Files_copied_to_the_cluster_by_hand_are_kept_when_their_sha256_matches_and_replaced_only_with_replace()
    {
        TestCluster.Require();
        using var setup = new Setup();
        // The old way: scp put the day on the cluster; one copy is good, one has the right size but other bytes.
        var good = setup.StagedVideo;
        var bad = setup.Remote("RawVideos/20210504/näïve 'q' $cam.22956819/000000.mp4");
        Directory.CreateDirectory(Path.GetDirectoryName(good)!);
        Directory.CreateDirectory(Path.GetDirectoryName(bad)!);
        File.Copy(setup.Video, good);
        File.WriteAllBytes(
            bad,
            new byte[new FileInfo(Path.Combine(setup.Day, "näïve 'q' $cam.22956819", "000000.mp4")).Length]
        );

        var refused = Run(setup.Project.Path, "Stage", "--source", setup.Day);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains(
            "Stage would replace 1 files on the cluster with different ones of the same name; " + "nothing was copied:",
            refused.Error
        );
        Assert.Contains(
            "RawVideos/20210504/näïve 'q' $cam.22956819/000000.mp4: "
                + "on the cluster it is a file Stage did not record",
            refused.Error
        );
        Assert.False(File.Exists(setup.Remote("RawVideos/20210504/empty.txt")), "nothing was copied");

        var staged = Run(setup.Project.Path, "Stage", "--source", setup.Day, "--replace");

        Assert.True(staged.ExitCode == 0, staged.All);
        Assert.Contains("Replaced 1 files on the cluster with different ones", staged.All);
        Assert.Contains("Staged 4 files", staged.Output);
        Assert.Contains("1 were already on the cluster with the same SHA-256", staged.Output);
        setup.AssertStaged();
        var manifest = JsonDocument.Parse(
            File.ReadAllText(Path.Combine(setup.Project.Path, ".krypton", "state", "stage-manifest.json"))
        );
        var entries = manifest
            .RootElement.EnumerateArray()
            .ToDictionary(e => e.GetProperty("Path").GetString()!, e => e.GetProperty("Sha256").GetString()!);
        Assert.Equal(5, entries.Count);
        Assert.Equal(
            Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(good))),
            entries["RawVideos/20210504/cam one.22956818/000000.mp4"]
        );
    }

    [Fact]
    public void A_second_Stage_of_the_same_project_while_one_runs_is_refused_and_copies_nothing()
    {
        TestCluster.Require();
        using var setup = new Setup();
        var running = Workflow.TransferLock.Acquire(Path.Combine(setup.Project.Path, ".krypton", "state"), "Retrieve");

        var refused = Run(setup.Project.Path, "Stage", "--source", setup.Day);
        running.Dispose();

        Assert.Equal(1, refused.ExitCode);
        Assert.Contains(
            $"Another Stage, Retrieve or Clean of this project is running: Retrieve, process {Environment.ProcessId}",
            refused.Error
        );
        Assert.False(Directory.Exists(setup.RemoteRoot));
        setup.AssertStageConverges();
    }

    [Fact]
    public void An_interrupted_upload_resumes_and_a_partial_copy_with_other_bytes_is_copied_again_in_the_same_run()
    {
        TestCluster.Require();
        using var setup = new Setup();
        var big = setup.Video;
        var target = setup.StagedVideo;
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        File.WriteAllBytes(target + ".krypton-partial", File.ReadAllBytes(big)[..1_000_000]);

        var resumed = Run(setup.Project.Path, "Stage", "--source", setup.Day, "--verbosity", "verbose");

        Assert.True(resumed.ExitCode == 0, resumed.All);
        Assert.Contains("resuming RawVideos/20210504/cam one.22956818/000000.mp4 at byte 1000000", resumed.Output);
        Assert.Equal(SHA256.HashData(File.ReadAllBytes(big)), SHA256.HashData(File.ReadAllBytes(target)));

        // A hole that a write on a full disk left before bytes written after it.
        File.Delete(target);
        var holed = File.ReadAllBytes(big)[..1_000_000];
        Array.Clear(holed, 10, 4096);
        File.WriteAllBytes(target + ".krypton-partial", holed);
        var again = Run(setup.Project.Path, "Stage", "--source", setup.Day, "--verbosity", "verbose");

        Assert.True(again.ExitCode == 0, again.All);
        Assert.Contains(
            "copying RawVideos/20210504/cam one.22956818/000000.mp4 again from the start: its partial copy on the "
                + "cluster is not the local file's first 1000000 bytes",
            again.Output
        );
        Assert.DoesNotContain("resuming", again.Output);
        Assert.Equal(File.ReadAllBytes(big), File.ReadAllBytes(target));
        Assert.False(File.Exists(target + ".krypton-partial"));
    }

    [Fact]
    public void Small_files_travel_in_a_batch_and_what_an_interrupted_batch_left_never_gets_a_real_name()
    {
        TestCluster.Require();
        using var setup = new Setup();
        // An interrupted run's batch: unpacked, never checked or moved.
        var left = Path.Combine(setup.RemoteRoot, ".krypton-staging", "batch-1", "RawVideos", "20210504", "empty.txt");
        Directory.CreateDirectory(Path.GetDirectoryName(left)!);
        File.WriteAllText(left, "not what the local file holds");

        var run = Run(setup.Project.Path, "Stage", "--source", setup.Day, "--verbosity", "verbose");

        Assert.True(run.ExitCode == 0, run.All);
        Assert.Contains("batch 1: 4 small files, 4 verified", run.All); // 3 from the day, the parameter file
        setup.AssertStaged();
        Assert.False(Directory.Exists(Path.Combine(setup.RemoteRoot, ".krypton-staging")));
        Assert.Empty(Directory.GetFiles(setup.RemoteRoot, "*.krypton-partial", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Stage_over_a_connection_that_keeps_dropping_converges_without_corrupt_or_duplicate_files()
    {
        TestCluster.Require();
        using var setup = new Setup();
        await using var proxy = new CuttingProxy(TestCluster.Port, cutAfterBytes: 1_500_000);
        setup.ThroughProxy(proxy.Port, transfers: 1);

        var attempts = new List<int>();
        for (var attempt = 0; attempt < 15; attempt++)
        {
            var run = Run(setup.Project.Path, "Stage", "--source", setup.Day, "--reconnects", "0");
            attempts.Add(run.ExitCode);
            if (run.ExitCode == 0)
                break;
            Assert.True(
                run.Error.Contains("was lost", StringComparison.Ordinal)
                    || run.Error.Contains("Cannot reach", StringComparison.Ordinal)
                    || run.Error.Contains("did not finish", StringComparison.Ordinal),
                run.All
            );
        }

        Assert.True(proxy.Cuts >= 2, $"the proxy cut {proxy.Cuts} connections");
        Assert.Equal(0, attempts[^1]);
        Assert.True(attempts.Count >= 2, "the first run cannot get through a connection that drops every 1.5 MB");
        setup.AssertStaged();
        Assert.Empty(Directory.GetFiles(setup.RemoteRoot, "*.krypton-partial", SearchOption.AllDirectories));
        Assert.Equal(5, Directory.GetFiles(setup.RemoteRoot, "*", SearchOption.AllDirectories).Length); // 4 raw files and the parameter file, once each
    }

    [Fact]
    public void A_second_computer_staging_into_the_same_cluster_folder_waits_for_the_lock_and_takes_a_stale_one_over()
    {
        TestCluster.Require();
        using var setup = new Setup();
        // The lock of a Stage running on another computer, as ClusterLock writes it.
        var held = setup.Remote("workspace/transfer.lock");
        Directory.CreateDirectory(held);
        File.WriteAllText(
            Path.Combine(held, "owner"),
            "token=other\ntarget=Stage\ncomputer=lab-pc-7\nuser=jdoe\nprocess=4242\nsince=2026-12-04 09:00:00 +00:00\n"
        );

        var refused = Run(setup.Project.Path, "Stage", "--source", setup.Day);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains(
            "holds its lock on the cluster: Stage from lab-pc-7 (jdoe, process 4242) since "
                + "2026-12-04 09:00:00 +00:00, last sign of life ",
            refused.Error
        );
        Assert.Matches(@"last sign of life \d+ s ago", refused.Error);
        Assert.False(Directory.Exists(setup.Remote("RawVideos")), "nothing was copied");

        // Its run died: no sign of life for 6 minutes.
        File.SetLastWriteTimeUtc(Path.Combine(held, "owner"), DateTime.UtcNow.AddMinutes(-6));
        var run = Run(setup.Project.Path, "Stage", "--source", setup.Day);
        Assert.True(run.ExitCode == 0, run.All);
        Assert.Contains(
            "Took over the project's lock on the cluster from Stage from lab-pc-7 (jdoe, process 4242)",
            run.All
        );
        Assert.Contains("no sign of life for 6 min", run.All);
        setup.AssertStaged();
        Assert.False(Directory.Exists(held), "the lock is released at the end");
    }

    [Fact]
    public async Task Stage_reconnects_by_itself_after_a_cut_and_gives_up_after_its_bound()
    {
        TestCluster.Require();
        using var setup = new Setup();
        var big = Path.Combine(setup.Day, "cam big.22956820", "000000.mp4");
        Directory.CreateDirectory(Path.GetDirectoryName(big)!);
        await File.WriteAllBytesAsync(big, RandomNumberGenerator.GetBytes(4_000_000), Ct);
        await using var proxy = new CuttingProxy(TestCluster.Port, cutAfterBytes: 1_500_000);
        setup.ThroughProxy(proxy.Port, transfers: 1);

        var bounded = Run(setup.Project.Path, "Stage", "--source", setup.Day, "--reconnects", "1");
        Assert.Equal(1, bounded.ExitCode);
        Assert.Contains("reconnecting in 2 s to resume (1 of at most 1 reconnects)", bounded.All);
        Assert.Contains("Stage reconnected 1 times and gave up.", bounded.Error);

        var run = Run(setup.Project.Path, "Stage", "--source", setup.Day, "--reconnects", "10");
        Assert.True(run.ExitCode == 0, run.All);
        Assert.Contains("reconnecting in 2 s to resume (1 of at most 10 reconnects)", run.All);
        Assert.True(proxy.Cuts >= 3, $"the proxy cut {proxy.Cuts} connections");
        Assert.Equal(
            File.ReadAllBytes(big),
            File.ReadAllBytes(setup.Remote("RawVideos/20210504/cam big.22956820/000000.mp4"))
        );
        setup.AssertStaged();
        Assert.Empty(Directory.GetFiles(setup.RemoteRoot, "*.krypton-partial", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Cancelling_Stage_stops_a_large_copy_in_the_middle_and_the_next_Stage_resumes_it()
    {
        TestCluster.Require();
        using var setup = new Setup();
        var big = Path.Combine(setup.Day, "cam big.22956820", "000000.mp4");
        Directory.CreateDirectory(Path.GetDirectoryName(big)!);
        await File.WriteAllBytesAsync(big, RandomNumberGenerator.GetBytes(40_000_000), Ct);
        var partial = setup.Remote("RawVideos/20210504/cam big.22956820/000000.mp4.krypton-partial");
        // A distant cluster (100 ms round trip: about 20 MB/s through one SSH window), so 40 MB take seconds.
        await using (var far = new DelayingProxy(TestCluster.Port, TimeSpan.FromMilliseconds(100)))
        {
            setup.ThroughProxy(far.Port, transfers: 1);
            // Ctrl+C, once the copy is a few MB in.
            var cancelled = await RunCancelledOnceGrownAsync(
                setup.Project.Path,
                partial,
                2_000_000,
                "Stage",
                "--source",
                setup.Day
            );

            Assert.NotEqual(0, cancelled.ExitCode);
            // The copy stopped where it was, not at the end of the file, and nothing half-copied got the real name.
            Assert.InRange(new FileInfo(partial).Length, 2_000_000, 30_000_000);
            Assert.False(File.Exists(setup.Remote("RawVideos/20210504/cam big.22956820/000000.mp4")));
        }

        setup.ThroughProxy(TestCluster.Port);
        var resumed = Run(setup.Project.Path, "Stage", "--source", setup.Day, "--verbosity", "verbose");
        Assert.True(resumed.ExitCode == 0, resumed.All);
        Assert.Contains("resuming RawVideos/20210504/cam big.22956820/000000.mp4 at byte", resumed.All);
        setup.AssertStaged();
        Assert.Empty(Directory.GetFiles(setup.RemoteRoot, "*.krypton-partial", SearchOption.AllDirectories));
    }

    [Fact]
    public void A_full_disk_on_the_cluster_stops_Stage_with_what_to_do_and_a_rerun_after_freeing_space_converges()
    {
        TestCluster.Require();
        using var setup = new Setup();
        Directory.CreateDirectory(setup.RemoteRoot);
        using var disk = SmallDisk.Mount(setup.RemoteRoot, "2m");

        var full = Run(setup.Project.Path, "Stage", "--source", setup.Day);

        Assert.Equal(1, full.ExitCode);
        Assert.Contains("The cluster could not write", full.Error);
        Assert.Contains("free space in", full.Error);
        Assert.Contains("then run the same command again: it resumes", full.Error);
        foreach (var (local, remote) in setup.StagedCopies())
            if (File.Exists(remote))
                // a real name only for a verified copy
                Assert.Equal(File.ReadAllBytes(local), File.ReadAllBytes(remote));

        disk.Resize("16m");
        setup.AssertStageConverges();
    }

    [Fact]
    public void A_cluster_folder_that_cannot_be_written_stops_Stage_with_what_to_do_and_a_rerun_converges()
    {
        TestCluster.Require();
        using var setup = new Setup();
        Directory.CreateDirectory(setup.RemoteRoot);
        using var disk = SmallDisk.Mount(setup.RemoteRoot, "16m");
        disk.Remount("ro"); // the sshd runs as root here, so a read-only mount stands in for a permission error

        var refused = Run(setup.Project.Path, "Stage", "--source", setup.Day);

        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("The cluster could not write", refused.Error);
        Assert.Contains("not writable", refused.Error);
        Assert.Empty(Directory.GetFiles(setup.RemoteRoot, "*", SearchOption.AllDirectories));

        disk.Remount("rw");
        setup.AssertStageConverges();
    }

    [Fact]
    public void A_source_that_does_not_exist_is_a_clear_error_and_nothing_is_copied()
    {
        TestCluster.Require();
        using var setup = new Setup();

        var run = Run(setup.Project.Path, "Stage", "--source", "/nonexistent/RawVideos/20210504");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains(
            "The source folder /nonexistent/RawVideos/20210504 does not exist (or is not mounted)",
            run.Error
        );
        Assert.False(Directory.Exists(setup.RemoteRoot));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_source_file_that_changes_while_it_is_copied_gets_no_name_on_the_cluster_and_a_rerun_converges(
        bool appended
    )
    {
        TestCluster.Require();
        using var setup = new Setup();
        var growing = setup.Video;
        var target = setup.StagedVideo;
        void Change()
        {
            if (appended)
            {
                File.AppendAllText(growing, "frames still being recorded"); // the camera is still recording
                return;
            }
            using var file = new FileStream(growing, FileMode.Open, FileAccess.Write); // rewritten in place, same size
            file.Write(new byte[4096]);
        }
        var build = new ChangingBuild(inner => new ChangingRemote(inner)
        {
            DuringUpload = (Setup.VideoOnCluster + ".krypton-partial", Change),
        });

        var first = Run(build, setup.Project.Path, "Stage", "--source", setup.Day);

        Assert.Equal(1, build.Remote!.Changes);
        Assert.Equal(1, first.ExitCode);
        Assert.Contains(
            $"{growing} changed while it was copied, so its partial copy on the cluster was discarded; run Stage "
                + $"again once it is complete",
            first.Error
        );
        Assert.False(File.Exists(target), "a copy of a file that changed meanwhile must not get the real name");
        Assert.False(File.Exists(target + ".krypton-partial"));
        var other = setup.Remote("RawVideos/20210504/näïve 'q' $cam.22956819/000000.mp4");
        Assert.Equal(
            File.ReadAllBytes(Path.Combine(setup.Day, "näïve 'q' $cam.22956819", "000000.mp4")),
            File.ReadAllBytes(other)
        );

        setup.AssertStageConverges();
    }

    [Fact]
    public void A_source_file_that_grew_while_it_was_copied_is_resumed_by_the_rerun_when_its_partial_copy_could_not_be_deleted()
    {
        TestCluster.Require();
        using var setup = new Setup();
        var growing = setup.Video;
        var target = setup.StagedVideo;
        var build = new ChangingBuild(inner => new ChangingRemote(inner)
        {
            DuringUpload = (Setup.VideoOnCluster + ".krypton-partial", () =>
                File.AppendAllText(growing, "frames still being recorded")
            ),
            BeforeCommand = ("xargs -0 -r rm", () =>
                throw new Remote.RemoteException("The connection was lost (simulated).")
            ),
        });

        var first = Run(build, setup.Project.Path, "Stage", "--source", setup.Day);

        Assert.Equal(2, build.Remote!.Changes);
        Assert.Equal(1, first.ExitCode);
        Assert.Contains(
            $"{growing} changed while it was copied, so it was not given its name on the cluster; run Stage again "
                + $"once it is complete",
            first.Error
        );
        Assert.False(File.Exists(target));
        Assert.True(File.Exists(target + ".krypton-partial"));
        setup.AssertStageConverges();
    }
}
