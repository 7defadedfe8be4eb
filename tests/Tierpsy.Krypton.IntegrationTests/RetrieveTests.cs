using System.Security.Cryptography;
using Tierpsy.Krypton.TestSupport;

namespace Tierpsy.Krypton.IntegrationTests;

/// <summary>Retrieve over the real sshd: verified copies back, resume, faults, refusals.</summary>
[Collection(Collection)]
public class RetrieveTests : TransferTestBase
{
    /// <summary>
    /// A Downloader's manifest in <paramref name="here"/> and its log, written to <paramref name="said"/>.
    /// </summary>
    private static (Transfer.Manifest, Workflow.BuildTransferLog) ManifestAndLog(TempDirectory here, TextWriter said) =>
        (
            Transfer.Manifest.Load(Path.Combine(here.Path, "retrieve-manifest.json")),
            new Workflow.BuildTransferLog(new Targets.BuildLog(said, said, color: false, Targets.Verbosity.Normal))
        );

    [Fact]
    public async Task Small_files_in_several_batches_arrive_whole_and_leave_no_archive_on_either_side()
    {
        TestCluster.Require();
        using var setup = new Setup();
        using var here = new TempDirectory();
        var random = new Random(7);
        var names = Enumerable.Range(0, 7).Select(i => $"Results/20210504/cam {i}.1/0000{i}_featuresN.hdf5").ToList();
        foreach (var (name, i) in names.Select((n, i) => (n, i)))
        {
            var bytes = new byte[1000 + i];
            random.NextBytes(bytes);
            Directory.CreateDirectory(Path.GetDirectoryName(setup.Remote(name))!);
            File.WriteAllBytes(setup.Remote(name), bytes);
        }
        await using var remote = await Remote.SshRemote.ConnectAsync(TestCluster.Settings(), Ct);
        var (manifest, log) = ManifestAndLog(here, TextWriter.Null);

        // Three batches: the second and third are packed while the one before is written here.
        var report = await new Transfer.Downloader(remote, setup.RemoteRoot, manifest, log, parallel: 1)
        {
            FilesPerBatch = 3,
        }.RunAsync(["Results"], here.Path, Ct);

        Assert.Empty(report.Failed);
        Assert.Equal(7, report.Downloaded);
        foreach (var name in names)
            Assert.Equal(File.ReadAllBytes(setup.Remote(name)), File.ReadAllBytes(Path.Combine(here.Path, name)));
        Assert.Empty(Directory.GetFiles(setup.RemoteRoot, ".krypton-*"));
        Assert.Empty(
            Directory.GetFiles(here.Path, "*" + Transfer.RemoteFiles.PartialSuffix, SearchOption.AllDirectories)
        );
    }

    [Fact]
    public async Task An_archive_a_cut_off_Retrieve_left_here_is_deleted_by_the_next_once_an_hour_old()
    {
        TestCluster.Require();
        using var setup = new Setup();
        using var here = new TempDirectory();
        const string name = "Results/20210504/cam 1.1/00001_featuresN.hdf5";
        Directory.CreateDirectory(Path.GetDirectoryName(setup.Remote(name))!);
        File.WriteAllText(setup.Remote(name), "features");
        var old = here.Write($".krypton-batch-{new string('a', 32)}.tar{Transfer.RemoteFiles.PartialSuffix}", "x");
        File.SetLastWriteTimeUtc(old, DateTime.UtcNow.AddHours(-2));
        var recent = here.Write($".krypton-batch-{new string('b', 32)}.tar{Transfer.RemoteFiles.PartialSuffix}", "y");
        await using var remote = await Remote.SshRemote.ConnectAsync(TestCluster.Settings(), Ct);
        var (manifest, log) = ManifestAndLog(here, TextWriter.Null);

        var report = await new Transfer.Downloader(remote, setup.RemoteRoot, manifest, log, parallel: 1).RunAsync(
            ["Results"],
            here.Path,
            Ct
        );

        Assert.Equal(1, report.Downloaded);
        Assert.False(File.Exists(old), "an archive of a Retrieve cut off two hours ago is a leftover");
        Assert.True(File.Exists(recent), "an archive under an hour old may be another Retrieve's");
    }

    [Fact]
    public async Task A_partial_copy_here_with_wrong_bytes_is_copied_again_from_the_start_in_the_same_run()
    {
        TestCluster.Require();
        using var setup = new Setup();
        using var here = new TempDirectory();
        const string name = "Results/20210504/cam 1.1/00001_featuresN.hdf5";
        var bytes = new byte[3 << 20];
        new Random(3).NextBytes(bytes);
        Directory.CreateDirectory(Path.GetDirectoryName(setup.Remote(name))!);
        File.WriteAllBytes(setup.Remote(name), bytes);
        // A cut-off run's partial copy with a hole of zeros, as a write that failed on a full disk leaves.
        var partial = Path.Combine(here.Path, name + Transfer.RemoteFiles.PartialSuffix);
        Directory.CreateDirectory(Path.GetDirectoryName(partial)!);
        var cut = bytes[..(1 << 20)];
        Array.Clear(cut, 4096, 4096);
        File.WriteAllBytes(partial, cut);
        await using var remote = await Remote.SshRemote.ConnectAsync(TestCluster.Settings(), Ct);
        var said = new StringWriter();
        var (manifest, log) = ManifestAndLog(here, said);

        var report = await new Transfer.Downloader(remote, setup.RemoteRoot, manifest, log, parallel: 1).RunAsync(
            ["Results"],
            here.Path,
            Ct
        );

        Assert.Empty(report.Failed);
        Assert.Equal(bytes, File.ReadAllBytes(Path.Combine(here.Path, name)));
        Assert.False(File.Exists(partial));
        Assert.Contains("the partial copy here does not hold the cluster file's first 1048576 bytes", said.ToString());
    }

    [Fact]
    public void Results_copied_here_by_hand_are_kept_when_their_sha256_matches_and_replaced_when_it_does_not()
    {
        TestCluster.Require();
        using var setup = new Setup();
        var results = setup.Results(
            "Results/20210504/a_featuresN.hdf5",
            "Results/20210504/b_featuresN.hdf5",
            "Results/20210504/c_featuresN.hdf5"
        );
        string Local(string result) => Path.Combine(setup.Project.Path, result);
        Directory.CreateDirectory(Path.GetDirectoryName(Local(results[0]))!);
        File.Copy(setup.Remote(results[0]), Local(results[0]));
        File.WriteAllBytes(Local(results[1]), new byte[new FileInfo(setup.Remote(results[1])).Length]);

        var retrieved = Run(setup.Project.Path, "Retrieve", "--skip");

        Assert.True(retrieved.ExitCode == 0, retrieved.All);
        Assert.Contains("Retrieved 2 files", retrieved.Output);
        Assert.Contains("1 were already here with the same SHA-256", retrieved.Output);
        foreach (var result in results)
            Assert.Equal(File.ReadAllBytes(setup.Remote(result)), File.ReadAllBytes(Local(result)));
        var again = Run(setup.Project.Path, "Retrieve", "--skip");
        Assert.Contains("Retrieved 0 files (0 B)", again.Output);
        Assert.Contains("3 were already here with the same SHA-256", again.Output);
    }

    [Fact]
    public async Task Retrieve_over_a_connection_that_keeps_dropping_resumes_and_converges_without_corrupt_files()
    {
        TestCluster.Require();
        using var setup = new Setup();
        var results = setup.Results("Results/20210504/a_featuresN.hdf5", "Results/20210504/b_featuresN.hdf5");
        var bulk = new byte[4_000_000];
        new Random(11).NextBytes(bulk);
        File.WriteAllBytes(setup.Remote("Results/20210504/c_skeletons.bin"), bulk);
        await using var proxy = new CuttingProxy(TestCluster.Port, cutAfterBytes: long.MaxValue)
        {
            CutAfterBytesDown = 1_500_000,
        };
        setup.ThroughProxy(proxy.Port);

        var runs = new List<(int ExitCode, string Output, string Error, string All)>();
        for (var attempt = 0; attempt < 15 && (runs.Count == 0 || runs[^1].ExitCode != 0); attempt++)
        {
            runs.Add(Run(setup.Project.Path, "Retrieve", "--skip", "--verbosity", "verbose", "--reconnects", "0"));
            if (runs[^1].ExitCode != 0)
                Assert.True(
                    runs[^1].Error.Contains("was lost", StringComparison.Ordinal)
                        || runs[^1].Error.Contains("Cannot reach", StringComparison.Ordinal),
                    runs[^1].All
                );
        }

        Assert.Equal(0, runs[^1].ExitCode);
        Assert.True(proxy.Cuts >= 2, $"the proxy cut {proxy.Cuts} connections");
        Assert.Contains(runs, r =>
            r.Output.Contains("resuming Results/20210504/c_skeletons.bin at byte", StringComparison.Ordinal)
        );
        foreach (var path in results.Append("Results/20210504/c_skeletons.bin"))
            Assert.Equal(
                File.ReadAllBytes(setup.Remote(path)),
                File.ReadAllBytes(Path.Combine(setup.Project.Path, path))
            );
        Assert.Empty(
            Directory.GetFiles(
                Path.Combine(setup.Project.Path, "Results"),
                "*.krypton-partial",
                SearchOption.AllDirectories
            )
        );
    }

    [Fact]
    public async Task Cancelling_Retrieve_stops_a_large_copy_in_the_middle_and_the_next_Retrieve_resumes_it()
    {
        TestCluster.Require();
        using var setup = new Setup();
        const string big = "Results/20210504/big_skeletons.bin";
        Directory.CreateDirectory(Path.GetDirectoryName(setup.Remote(big))!);
        await File.WriteAllBytesAsync(setup.Remote(big), RandomNumberGenerator.GetBytes(40_000_000), Ct);
        var partial = Path.Combine(setup.Project.Path, big + ".krypton-partial");
        // A distant cluster (100 ms round trip), so 40 MB take seconds.
        await using (var far = new DelayingProxy(TestCluster.Port, TimeSpan.FromMilliseconds(100)))
        {
            setup.ThroughProxy(far.Port);
            // Ctrl+C, once the copy is a few MB in.
            var cancelled = await RunCancelledOnceGrownAsync(
                setup.Project.Path,
                partial,
                2_000_000,
                "Retrieve",
                "--skip"
            );

            Assert.NotEqual(0, cancelled.ExitCode);
            // The copy stopped where it was, not at the end of the file, and nothing half-copied got the real name.
            Assert.InRange(new FileInfo(partial).Length, 2_000_000, 30_000_000);
            Assert.False(File.Exists(Path.Combine(setup.Project.Path, big)));
        }

        setup.ThroughProxy(TestCluster.Port);
        var resumed = Run(setup.Project.Path, "Retrieve", "--skip", "--verbosity", "verbose");
        Assert.True(resumed.ExitCode == 0, resumed.All);
        Assert.Contains($"resuming {big} at byte", resumed.All);
        Assert.Equal(
            await File.ReadAllBytesAsync(setup.Remote(big), Ct),
            await File.ReadAllBytesAsync(Path.Combine(setup.Project.Path, big), Ct)
        );
        Assert.False(File.Exists(partial));
    }

    [Fact]
    public void Retrieve_names_results_that_are_not_complete_tierpsy_outputs()
    {
        TestCluster.Require();
        using var setup = new Setup();
        Directory.CreateDirectory(setup.Remote("Results/20210504/cam"));
        TierpsyHdf5(setup.Remote("Results/20210504/cam/metadata_featuresN.hdf5"), complete: true);
        TierpsyHdf5(setup.Remote("Results/20210504/cam/metadata_skeletons.hdf5"), complete: false);
        File.WriteAllText(setup.Remote("Results/20210504/cam/metadata_intensities.hdf5"), "cut short");

        var run = Run(setup.Project.Path, "Retrieve", "--skip");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("2 retrieved files are not complete Tierpsy outputs", run.Error);
        Assert.Contains("metadata_skeletons.hdf5: an HDF5 file without the /provenance_tracking group", run.Error);
        Assert.Contains("metadata_intensities.hdf5: not a readable HDF5 file", run.Error);
        Assert.DoesNotContain("metadata_featuresN.hdf5:", run.Error);
    }

    [Fact]
    public void A_full_disk_here_stops_Retrieve_with_what_to_do_and_a_rerun_after_freeing_space_converges()
    {
        TestCluster.Require();
        using var setup = new Setup();
        var random = new Random(7);
        var results = setup.Results("Results/20210504/a_featuresN.hdf5", "Results/20210504/b_featuresN.hdf5");
        var bulk = new byte[1_500_000];
        random.NextBytes(bulk);
        File.WriteAllBytes(setup.Remote("Results/20210504/c_skeletons.bin"), bulk);
        var destination = Path.Combine(setup.Project.Path, "elsewhere");
        Directory.CreateDirectory(destination);
        using var disk = SmallDisk.Mount(destination, "1m");

        var full = Run(setup.Project.Path, "Retrieve", "--skip", "--dest", destination);

        Assert.Equal(1, full.ExitCode);
        Assert.Contains("on this computer", full.Error);
        Assert.Contains("then run Retrieve again: it resumes", full.Error);

        disk.Resize("16m");
        var again = Run(setup.Project.Path, "Retrieve", "--skip", "--dest", destination);

        Assert.True(again.ExitCode == 0, again.All);
        foreach (var path in results.Append("Results/20210504/c_skeletons.bin"))
            Assert.Equal(File.ReadAllBytes(setup.Remote(path)), File.ReadAllBytes(Path.Combine(destination, path)));
        Assert.Empty(Directory.GetFiles(destination, "*.krypton-partial", SearchOption.AllDirectories));
    }

    [Fact]
    public void A_destination_here_that_cannot_be_written_stops_Retrieve_with_what_to_do_and_a_rerun_converges()
    {
        TestCluster.Require();
        using var setup = new Setup();
        var result = setup.Results("Results/20210504/a_featuresN.hdf5")[0];
        var destination = Path.Combine(setup.Project.Path, "elsewhere");
        Directory.CreateDirectory(destination);
        using var disk = SmallDisk.Mount(destination, "16m");
        // The tests run as root, so a read-only mount stands in for a folder without write permission.
        disk.Remount("ro");

        var refused = Run(setup.Project.Path, "Retrieve", "--skip", "--dest", destination);

        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("on this computer", refused.Error);
        Assert.Contains("not writable", refused.Error);
        Assert.Contains("then run Retrieve again: it resumes", refused.Error);

        disk.Remount("rw");
        var again = Run(setup.Project.Path, "Retrieve", "--skip", "--dest", destination);

        Assert.True(again.ExitCode == 0, again.All);
        Assert.Equal(File.ReadAllBytes(setup.Remote(result)), File.ReadAllBytes(Path.Combine(destination, result)));
    }

    [Fact]
    public void Small_results_travel_in_a_batch_and_one_deleted_on_the_cluster_meanwhile_is_named()
    {
        TestCluster.Require();
        using var setup = new Setup();
        var results = setup.Results(
            "Results/20210504/a_featuresN.hdf5",
            "Results/20210504/b_featuresN.hdf5",
            "Results/20210505/c 'q' $x_featuresN.hdf5"
        );
        // Deleted after the listing, before the cluster packs the batch.
        var build = new ChangingBuild(inner => new ChangingRemote(inner)
        {
            BeforeCommand = ("tar -c", () => File.Delete(setup.Remote(results[0]))),
        });

        var run = Run(build, setup.Project.Path, "Retrieve", "--skip", "--verbosity", "verbose");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("batch 1: 2 of 3 small files copied", run.All);
        Assert.Contains(
            $"{results[0]}: the cluster could not read it for the copy (deleted or unreadable); run Retrieve again",
            run.Error
        );
        foreach (var result in results[1..])
            Assert.Equal(
                File.ReadAllBytes(setup.Remote(result)),
                File.ReadAllBytes(Path.Combine(setup.Project.Path, result))
            );
        Assert.Empty(Directory.GetFiles(setup.Project.Path, "*.krypton-partial", SearchOption.AllDirectories));
        Assert.Empty(Directory.GetFiles(setup.RemoteRoot, ".krypton-batch-*", SearchOption.AllDirectories));
    }

    [Fact]
    public void A_result_that_changes_on_the_cluster_while_it_is_retrieved_is_discarded_and_a_rerun_converges()
    {
        TestCluster.Require();
        using var setup = new Setup();
        // Features files of a few MB, copied one by one (small files travel in batches).
        var results = setup.Results("Results/20210504/a_featuresN.hdf5", "Results/20210504/b_featuresN.hdf5");
        foreach (var result in results)
            TierpsyHdf5(setup.Remote(result), complete: true, mask: [.. Enumerable.Range(0, 400_000)]);
        // Tierpsy writes the file again after the cluster hashed it and before it is copied.
        var build = new ChangingBuild(inner => new ChangingRemote(inner)
        {
            BeforeDownload = (results[0], () =>
                TierpsyHdf5(setup.Remote(results[0]), complete: true, mask: [4, 5, 6, 7])
            ),
        });

        var first = Run(build, setup.Project.Path, "Retrieve", "--skip");

        Assert.Equal(1, build.Remote!.Changes);
        Assert.Equal(1, first.ExitCode);
        Assert.Contains(
            $"{results[0]}: the copy's SHA-256 differs from the cluster's (the file may have changed during the "
                + $"transfer); it was discarded, run Retrieve again",
            first.Error
        );
        Assert.False(File.Exists(Path.Combine(setup.Project.Path, results[0])));
        Assert.False(File.Exists(Path.Combine(setup.Project.Path, results[0] + ".krypton-partial")));
        Assert.Equal(
            File.ReadAllBytes(setup.Remote(results[1])),
            File.ReadAllBytes(Path.Combine(setup.Project.Path, results[1]))
        );

        var again = Run(setup.Project.Path, "Retrieve", "--skip");

        Assert.True(again.ExitCode == 0, again.All);
        foreach (var result in results)
            Assert.Equal(
                File.ReadAllBytes(setup.Remote(result)),
                File.ReadAllBytes(Path.Combine(setup.Project.Path, result))
            );
    }

    [Fact]
    public void Retrieve_refuses_a_destination_inside_a_staged_source_folder_and_copies_nothing()
    {
        TestCluster.Require();
        using var setup = new Setup();
        // A Hydra day folder: imgstore folders only, no file of its own.
        File.Delete(Path.Combine(setup.Day, "empty.txt"));
        Assert.Equal(0, Run(setup.Project.Path, "Stage", "--source", setup.Day).ExitCode);
        var result = setup.Results("Results/20210504/cam one.22956818/metadata_featuresN.hdf5")[0];

        var inside = Path.Combine(setup.Day, "analysis");
        var refused = Run(setup.Project.Path, "Retrieve", "--skip", "--dest", inside);
        var beside = Path.Combine(setup.Share.Path, "analysis");
        var accepted = Run(setup.Project.Path, "Retrieve", "--skip", "--dest", beside);

        Assert.Equal(1, refused.ExitCode);
        Assert.Contains($"--dest {inside} is inside the staged source folder {setup.Day}", refused.Error);
        Assert.Contains("Nothing was copied", refused.Error);
        Assert.False(Directory.Exists(inside));
        Assert.True(accepted.ExitCode == 0, accepted.All);
        Assert.Equal(File.ReadAllBytes(setup.Remote(result)), File.ReadAllBytes(Path.Combine(beside, result)));
    }
}
