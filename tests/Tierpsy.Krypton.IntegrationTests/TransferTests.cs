using System.Security.Cryptography;
using System.Text.Json;
using Tierpsy.Krypton.Targets;
using Tierpsy.Krypton.TestSupport;
using Tierpsy.Krypton.Workflow;

namespace Tierpsy.Krypton.IntegrationTests;

/// <summary>Stage, Retrieve and Clean over the real sshd: round trips, resume, refusals.</summary>
public class TransferTests
{
    private sealed class TransferBuild : TierpsyBuild;

    /// <summary>A build whose cluster connection goes through <see cref="ChangingRemote"/>.</summary>
    private sealed class ChangingBuild(Func<Remote.IRemote, ChangingRemote> wrap) : TierpsyBuild
    {
        public ChangingRemote? Remote { get; private set; }

        protected override async Task<Remote.IRemote> ConnectAsync(CancellationToken cancellationToken) => Remote ??= wrap(await base.ConnectAsync(cancellationToken));
    }

    private sealed class Setup : IDisposable
    {
        public TempDirectory Project { get; } = new("krypton-transfer-project");
        public TempDirectory Share { get; } = new("krypton share $x");
        public string RemoteRoot { get; } = Path.Combine(TestCluster.Jobs, $"tierpsy it's {Guid.NewGuid():N}"[..22]);
        public string Day => Path.Combine(Share.Path, "20210504");

        public Setup()
        {
            Project.Write(".krypton/parameters.json", JsonSerializer.Serialize(new Dictionary<string, object?>
            {
                ["Host"] = "127.0.0.1", ["Port"] = TestCluster.Port, ["User"] = "root", ["Scheduler"] = "slurm",
                ["IdentityFile"] = new[] { TestCluster.ClientKey }, ["KnownHostsFile"] = TestCluster.KnownHosts, ["RemoteRoot"] = RemoteRoot,
            }));
            Project.Write("AuxiliaryFiles/params.json", "{}");
            var random = new Random(42);
            foreach (var (name, size) in new[] { ("cam one.22956818/metadata.yaml", 120), ("cam one.22956818/000000.mp4", 3_000_000), ("näïve 'q' $cam.22956819/000000.mp4", 700_000), ("empty.txt", 0) })
            {
                var bytes = new byte[size];
                random.NextBytes(bytes);
                Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(Day, name))!);
                File.WriteAllBytes(Path.Combine(Day, name), bytes);
            }
        }

        public string Remote(string relative) => Path.Combine(RemoteRoot, relative);

        /// <summary>Each source file and where Stage puts it on the cluster.</summary>
        public IEnumerable<(string Local, string Remote)> StagedCopies() =>
            Directory.GetFiles(Day, "*", SearchOption.AllDirectories).Select(f => (f, Remote(Path.Combine("RawVideos", "20210504", Path.GetRelativePath(Day, f)))));

        /// <summary>Every source file is on the cluster under its real name with the same bytes.</summary>
        public void AssertStaged()
        {
            foreach (var (local, remote) in StagedCopies()) Assert.Equal(File.ReadAllBytes(local), File.ReadAllBytes(remote));
        }

        /// <summary>Stage runs again without an error, and every source file is staged with no partial copy left.</summary>
        public void AssertStageConverges()
        {
            var again = Run(Project.Path, "Stage", "--source", Day);
            Assert.True(again.ExitCode == 0, again.All);
            AssertStaged();
            Assert.Empty(Directory.GetFiles(RemoteRoot, "*.krypton-partial", SearchOption.AllDirectories));
        }

        /// <summary>Complete Tierpsy outputs on the cluster at these paths below the project root; returns the paths.</summary>
        public string[] Results(params string[] paths)
        {
            foreach (var path in paths)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(Remote(path))!);
                TierpsyHdf5(Remote(path), complete: true);
            }
            return paths;
        }

        public void Dispose()
        {
            Project.Dispose();
            Share.Dispose();
            try { Directory.Delete(RemoteRoot, recursive: true); } catch (IOException) { }
        }
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

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
    public void Several_sources_at_once_a_day_folder_keeps_its_name_another_folder_gives_its_content_and_a_clash_copies_nothing()
    {
        TestCluster.Require();
        using var setup = new Setup();
        setup.Share.Write("more videos/20210505/cam.1/000000.mp4", "day five");
        setup.Share.Write("more videos/notes.txt", "beside the days");

        var staged = Run(setup.Project.Path, "Stage", "--source", setup.Day, "--source", Path.Combine(setup.Share.Path, "more videos"));

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
    public void Files_copied_to_the_cluster_by_hand_are_kept_when_their_sha256_matches_and_replaced_when_it_does_not()
    {
        TestCluster.Require();
        using var setup = new Setup();
        // The old way: scp put the day on the cluster; one copy is good, one has the right size but other bytes.
        var good = setup.Remote("RawVideos/20210504/cam one.22956818/000000.mp4");
        var bad = setup.Remote("RawVideos/20210504/näïve 'q' $cam.22956819/000000.mp4");
        Directory.CreateDirectory(Path.GetDirectoryName(good)!);
        Directory.CreateDirectory(Path.GetDirectoryName(bad)!);
        File.Copy(Path.Combine(setup.Day, "cam one.22956818", "000000.mp4"), good);
        File.WriteAllBytes(bad, new byte[new FileInfo(Path.Combine(setup.Day, "näïve 'q' $cam.22956819", "000000.mp4")).Length]);

        var staged = Run(setup.Project.Path, "Stage", "--source", setup.Day);

        Assert.True(staged.ExitCode == 0, staged.All);
        Assert.Contains("Staged 4 files", staged.Output);
        Assert.Contains("1 were already on the cluster with the same SHA-256", staged.Output);
        setup.AssertStaged();
        var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(setup.Project.Path, ".krypton", "state", "stage-manifest.json")));
        var entries = manifest.RootElement.EnumerateArray().ToDictionary(e => e.GetProperty("Path").GetString()!, e => e.GetProperty("Sha256").GetString()!);
        Assert.Equal(5, entries.Count);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(good))), entries["RawVideos/20210504/cam one.22956818/000000.mp4"]);
    }

    [Fact]
    public void An_interrupted_upload_resumes_and_a_corrupt_partial_copy_is_discarded_then_converges()
    {
        TestCluster.Require();
        using var setup = new Setup();
        var big = Path.Combine(setup.Day, "cam one.22956818", "000000.mp4");
        var target = setup.Remote("RawVideos/20210504/cam one.22956818/000000.mp4");
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        File.WriteAllBytes(target + ".krypton-partial", File.ReadAllBytes(big)[..1_000_000]);

        var resumed = Run(setup.Project.Path, "Stage", "--source", setup.Day, "--verbosity", "verbose");

        Assert.True(resumed.ExitCode == 0, resumed.All);
        Assert.Contains("resuming RawVideos/20210504/cam one.22956818/000000.mp4 at byte 1000000", resumed.Output);
        Assert.Equal(SHA256.HashData(File.ReadAllBytes(big)), SHA256.HashData(File.ReadAllBytes(target)));

        File.Delete(target);
        var corrupt = File.ReadAllBytes(big)[..1_000_000];
        corrupt[10] ^= 0xFF;
        File.WriteAllBytes(target + ".krypton-partial", corrupt);
        var refused = Run(setup.Project.Path, "Stage", "--source", setup.Day);

        Assert.True(refused.ExitCode == 1, refused.All);
        Assert.Contains("its SHA-256 on the cluster differs from the local file, so the copy was discarded", refused.Error);
        Assert.False(File.Exists(target));
        Assert.False(File.Exists(target + ".krypton-partial"));

        var converged = Run(setup.Project.Path, "Stage", "--source", setup.Day);
        Assert.True(converged.ExitCode == 0, converged.All);
        Assert.Equal(File.ReadAllBytes(big), File.ReadAllBytes(target));
    }

    [Fact]
    public void Retrieve_copies_results_back_verified_and_clean_deletes_only_what_is_safe()
    {
        TestCluster.Require();
        using var setup = new Setup();
        Assert.Equal(0, Run(setup.Project.Path, "Stage", "--source", setup.Day).ExitCode);
        var results = setup.Results("Results/20210504/cam one.22956818/metadata_featuresN.hdf5", "Results/20210504/näïve 'q' $cam.22956819/metadata_featuresN.hdf5");
        File.WriteAllText(setup.Remote("Results/notes.txt"), "written on the cluster after Retrieve");
        Directory.CreateDirectory(setup.Remote("Tmp/Results/20210504/cam one.22956818"));
        File.WriteAllText(setup.Remote("Tmp/Results/20210504/cam one.22956818/metadata_skeletons.hdf5"), "leftover");
        File.WriteAllText(setup.Remote("Tmp/Results/20210504/cam one.22956818/other_skeletons.hdf5"), "unfinished video");

        var retrieve = Run(setup.Project.Path, "Retrieve", "--skip");
        Assert.True(retrieve.ExitCode == 0, retrieve.All);
        Assert.Equal(File.ReadAllBytes(setup.Remote(results[1])), File.ReadAllBytes(Path.Combine(setup.Project.Path, results[1])));
        File.WriteAllText(setup.Remote("Results/late.txt"), "appeared after Retrieve");

        var plan = Run(setup.Project.Path, "Clean", "--skip");
        Assert.True(plan.ExitCode == 0, plan.All);
        Assert.Contains("Nothing was deleted", plan.Output);
        Assert.True(File.Exists(setup.Remote(results[0])));

        File.AppendAllText(Path.Combine(setup.Project.Path, results[1]), "corrupted here");
        File.AppendAllText(Path.Combine(setup.Day, "empty.txt"), "the source changed");
        var clean = Run(setup.Project.Path, "Clean", "--skip", "--confirm");

        Assert.True(clean.ExitCode == 0, clean.All);
        Assert.False(File.Exists(setup.Remote(results[0])));
        Assert.True(File.Exists(setup.Remote(results[1])), "a result whose local copy differs is kept");
        Assert.Contains("is missing or differs from what was retrieved", clean.Output);
        Assert.True(File.Exists(setup.Remote("Results/late.txt")), "a file never retrieved is kept");
        Assert.True(File.Exists(setup.Remote("RawVideos/20210504/empty.txt")), "a raw file whose source changed is kept");
        Assert.False(File.Exists(setup.Remote("RawVideos/20210504/cam one.22956818/000000.mp4")));
        Assert.False(File.Exists(setup.Remote("Tmp/Results/20210504/cam one.22956818/metadata_skeletons.hdf5")));
        Assert.True(File.Exists(setup.Remote("Tmp/Results/20210504/cam one.22956818/other_skeletons.hdf5")));
        Assert.True(File.Exists(setup.Remote("AuxiliaryFiles/params.json")), "Clean never deletes parameter files");
    }

    [Fact]
    public async Task Stage_over_a_connection_that_keeps_dropping_converges_without_corrupt_or_duplicate_files()
    {
        TestCluster.Require();
        using var setup = new Setup();
        await using var proxy = new CuttingProxy(TestCluster.Port, cutAfterBytes: 1_500_000);
        var knownHosts = setup.Project.Write("known_hosts", "");
        var fingerprint = Remote.KnownHosts.Fingerprint(Convert.FromBase64String(File.ReadAllText(TestCluster.HostKeyPublic).Split(' ')[1]));
        setup.Project.Write(".krypton/parameters.json", JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["Host"] = "127.0.0.1", ["Port"] = proxy.Port, ["User"] = "root", ["Scheduler"] = "slurm", ["Transfers"] = 1,
            ["IdentityFile"] = new[] { TestCluster.ClientKey }, ["KnownHostsFile"] = knownHosts, ["RemoteRoot"] = setup.RemoteRoot,
            ["AcceptHostKey"] = fingerprint,
        }));

        var attempts = new List<int>();
        for (var attempt = 0; attempt < 15; attempt++)
        {
            var run = Run(setup.Project.Path, "Stage", "--source", setup.Day);
            attempts.Add(run.ExitCode);
            if (run.ExitCode == 0) break;
            Assert.True(run.Error.Contains("was lost", StringComparison.Ordinal) || run.Error.Contains("Cannot reach", StringComparison.Ordinal) ||
                        run.Error.Contains("did not finish", StringComparison.Ordinal), run.All);
        }

        Assert.True(proxy.Cuts >= 2, $"the proxy cut {proxy.Cuts} connections");
        Assert.Equal(0, attempts[^1]);
        Assert.True(attempts.Count >= 2, "the first run cannot get through a connection that drops every 1.5 MB");
        setup.AssertStaged();
        Assert.Empty(Directory.GetFiles(setup.RemoteRoot, "*.krypton-partial", SearchOption.AllDirectories));
        Assert.Equal(5, Directory.GetFiles(setup.RemoteRoot, "*", SearchOption.AllDirectories).Length); // 4 raw files and the parameter file, once each
    }

    [Fact]
    public void Results_copied_here_by_hand_are_kept_when_their_sha256_matches_and_replaced_when_it_does_not()
    {
        TestCluster.Require();
        using var setup = new Setup();
        var results = setup.Results("Results/20210504/a_featuresN.hdf5", "Results/20210504/b_featuresN.hdf5", "Results/20210504/c_featuresN.hdf5");
        string Local(string result) => Path.Combine(setup.Project.Path, result);
        Directory.CreateDirectory(Path.GetDirectoryName(Local(results[0]))!);
        File.Copy(setup.Remote(results[0]), Local(results[0]));
        File.WriteAllBytes(Local(results[1]), new byte[new FileInfo(setup.Remote(results[1])).Length]);

        var retrieved = Run(setup.Project.Path, "Retrieve", "--skip");

        Assert.True(retrieved.ExitCode == 0, retrieved.All);
        Assert.Contains("Retrieved 2 files", retrieved.Output);
        Assert.Contains("1 were already here with the same SHA-256", retrieved.Output);
        foreach (var result in results) Assert.Equal(File.ReadAllBytes(setup.Remote(result)), File.ReadAllBytes(Local(result)));
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
        await using var proxy = new CuttingProxy(TestCluster.Port, cutAfterBytes: long.MaxValue) { CutAfterBytesDown = 1_500_000 };
        var knownHosts = setup.Project.Write("known_hosts", "");
        var fingerprint = Remote.KnownHosts.Fingerprint(Convert.FromBase64String(File.ReadAllText(TestCluster.HostKeyPublic).Split(' ')[1]));
        setup.Project.Write(".krypton/parameters.json", JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["Host"] = "127.0.0.1", ["Port"] = proxy.Port, ["User"] = "root", ["Scheduler"] = "slurm",
            ["IdentityFile"] = new[] { TestCluster.ClientKey }, ["KnownHostsFile"] = knownHosts, ["RemoteRoot"] = setup.RemoteRoot,
            ["AcceptHostKey"] = fingerprint,
        }));

        var runs = new List<(int ExitCode, string Output, string Error, string All)>();
        for (var attempt = 0; attempt < 15 && (runs.Count == 0 || runs[^1].ExitCode != 0); attempt++)
        {
            runs.Add(Run(setup.Project.Path, "Retrieve", "--skip", "--verbosity", "verbose"));
            if (runs[^1].ExitCode != 0)
                Assert.True(runs[^1].Error.Contains("was lost", StringComparison.Ordinal) || runs[^1].Error.Contains("Cannot reach", StringComparison.Ordinal), runs[^1].All);
        }

        Assert.Equal(0, runs[^1].ExitCode);
        Assert.True(proxy.Cuts >= 2, $"the proxy cut {proxy.Cuts} connections");
        Assert.Contains(runs, r => r.Output.Contains("resuming Results/20210504/c_skeletons.bin at byte", StringComparison.Ordinal));
        foreach (var path in results.Append("Results/20210504/c_skeletons.bin"))
            Assert.Equal(File.ReadAllBytes(setup.Remote(path)), File.ReadAllBytes(Path.Combine(setup.Project.Path, path)));
        Assert.Empty(Directory.GetFiles(Path.Combine(setup.Project.Path, "Results"), "*.krypton-partial", SearchOption.AllDirectories));
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

    /// <summary>A small HDF5 file shaped like Tierpsy's outputs: a dataset, and the provenance group when complete.</summary>
    private static void TierpsyHdf5(string path, bool complete, int[]? mask = null)
    {
        var file = new PureHDF.H5File { ["mask"] = new PureHDF.H5Dataset(mask ?? [1, 2, 3]) };
        if (complete) file["provenance_tracking"] = new PureHDF.H5Group { ["FEAT_TIERPSY"] = new PureHDF.H5Dataset(new byte[] { 123, 125 }) };
        file.Write(path);
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
            if (File.Exists(remote)) Assert.Equal(File.ReadAllBytes(local), File.ReadAllBytes(remote)); // a real name only for a verified copy

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
        disk.Remount("ro"); // the tests run as root, so a read-only mount stands in for a folder without write permission

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

    /// <summary>A small tmpfs over a folder, so the cluster's disk really fills up (the test cluster runs as root on this machine).</summary>
    private sealed class SmallDisk : IDisposable
    {
        private readonly string _folder;

        private SmallDisk(string folder) => _folder = folder;

        public static SmallDisk Mount(string folder, string size)
        {
            var mount = ProcessRunner.RunAsync("mount", ["-t", "tmpfs", "-o", $"size={size}", "tmpfs", folder], folder, null, TimeSpan.FromSeconds(30), Ct).GetAwaiter().GetResult();
            // Mounting needs root with CAP_SYS_ADMIN (the test machine has it); elsewhere the test says why it did not run.
            Assert.SkipWhen(mount.ExitCode != 0, $"cannot mount a small tmpfs to fill a disk here: {mount.All.Trim()}");
            return new SmallDisk(folder);
        }

        public void Resize(string size) => Remount($"size={size}");

        public void Remount(string options)
        {
            var remount = ProcessRunner.RunAsync("mount", ["-o", $"remount,{options}", _folder], "/", null, TimeSpan.FromSeconds(30), Ct).GetAwaiter().GetResult();
            Assert.True(remount.ExitCode == 0, remount.All);
        }

        public void Dispose() => ProcessRunner.RunAsync("umount", ["-l", _folder], "/", null, TimeSpan.FromSeconds(30), CancellationToken.None).GetAwaiter().GetResult();
    }

    [Fact]
    public void A_source_that_does_not_exist_is_a_clear_error_and_nothing_is_copied()
    {
        TestCluster.Require();
        using var setup = new Setup();

        var run = Run(setup.Project.Path, "Stage", "--source", "/nonexistent/RawVideos/20210504");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("The source folder /nonexistent/RawVideos/20210504 does not exist (or is not mounted)", run.Error);
        Assert.False(Directory.Exists(setup.RemoteRoot));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_source_file_that_changes_while_it_is_copied_gets_no_name_on_the_cluster_and_a_rerun_converges(bool appended)
    {
        TestCluster.Require();
        using var setup = new Setup();
        var growing = Path.Combine(setup.Day, "cam one.22956818", "000000.mp4");
        var target = setup.Remote("RawVideos/20210504/cam one.22956818/000000.mp4");
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
        var build = new ChangingBuild(inner => new ChangingRemote(inner) { DuringUpload = ("cam one.22956818/000000.mp4.krypton-partial", Change) });

        var first = Run(build, setup.Project.Path, "Stage", "--source", setup.Day);

        Assert.Equal(1, build.Remote!.Changes);
        Assert.Equal(1, first.ExitCode);
        Assert.Contains($"{growing} changed while it was copied, so its partial copy on the cluster was discarded; run Stage again once it is complete", first.Error);
        Assert.False(File.Exists(target), "a copy of a file that changed meanwhile must not get the real name");
        Assert.False(File.Exists(target + ".krypton-partial"));
        var other = setup.Remote("RawVideos/20210504/näïve 'q' $cam.22956819/000000.mp4");
        Assert.Equal(File.ReadAllBytes(Path.Combine(setup.Day, "näïve 'q' $cam.22956819", "000000.mp4")), File.ReadAllBytes(other));

        setup.AssertStageConverges();
    }

    [Fact]
    public void A_source_file_that_grew_while_it_was_copied_is_resumed_by_the_rerun_when_its_partial_copy_could_not_be_deleted()
    {
        TestCluster.Require();
        using var setup = new Setup();
        var growing = Path.Combine(setup.Day, "cam one.22956818", "000000.mp4");
        var target = setup.Remote("RawVideos/20210504/cam one.22956818/000000.mp4");
        var build = new ChangingBuild(inner => new ChangingRemote(inner)
        {
            DuringUpload = ("cam one.22956818/000000.mp4.krypton-partial", () => File.AppendAllText(growing, "frames still being recorded")),
            BeforeCommand = ("xargs -0 -r rm", () => throw new Remote.RemoteException("The connection was lost (simulated).")),
        });

        var first = Run(build, setup.Project.Path, "Stage", "--source", setup.Day);

        Assert.Equal(2, build.Remote!.Changes);
        Assert.Equal(1, first.ExitCode);
        Assert.Contains($"{growing} changed while it was copied, so it was not given its name on the cluster; run Stage again once it is complete", first.Error);
        Assert.False(File.Exists(target));
        Assert.True(File.Exists(target + ".krypton-partial"));
        setup.AssertStageConverges();
    }

    [Fact]
    public void A_result_that_changes_on_the_cluster_while_it_is_retrieved_is_discarded_and_a_rerun_converges()
    {
        TestCluster.Require();
        using var setup = new Setup();
        var results = setup.Results("Results/20210504/a_featuresN.hdf5", "Results/20210504/b_featuresN.hdf5");
        // Tierpsy writes the file again after the cluster hashed it and before it is copied.
        var build = new ChangingBuild(inner => new ChangingRemote(inner)
        {
            BeforeDownload = (results[0], () => TierpsyHdf5(setup.Remote(results[0]), complete: true, mask: [4, 5, 6, 7])),
        });

        var first = Run(build, setup.Project.Path, "Retrieve", "--skip");

        Assert.Equal(1, build.Remote!.Changes);
        Assert.Equal(1, first.ExitCode);
        Assert.Contains($"{results[0]}: the copy's SHA-256 differs from the cluster's (the file may have changed during the transfer); it was discarded, run Retrieve again", first.Error);
        Assert.False(File.Exists(Path.Combine(setup.Project.Path, results[0])));
        Assert.False(File.Exists(Path.Combine(setup.Project.Path, results[0] + ".krypton-partial")));
        Assert.Equal(File.ReadAllBytes(setup.Remote(results[1])), File.ReadAllBytes(Path.Combine(setup.Project.Path, results[1])));

        var again = Run(setup.Project.Path, "Retrieve", "--skip");

        Assert.True(again.ExitCode == 0, again.All);
        foreach (var result in results) Assert.Equal(File.ReadAllBytes(setup.Remote(result)), File.ReadAllBytes(Path.Combine(setup.Project.Path, result)));
    }

    [Fact]
    public void Masked_videos_come_back_only_with_masked_and_rehash_catches_a_local_copy_altered_in_place()
    {
        TestCluster.Require();
        using var setup = new Setup();
        var (result, masked) = ("Results/20210504/a_featuresN.hdf5", "MaskedVideos/20210504/a.hdf5");
        setup.Results(result, masked);
        var local = Path.Combine(setup.Project.Path, masked);

        var resultsOnly = Run(setup.Project.Path, "Retrieve", "--skip");
        Assert.True(resultsOnly.ExitCode == 0, resultsOnly.All);
        Assert.False(File.Exists(local));
        var both = Run(setup.Project.Path, "Retrieve", "--skip", "--masked");
        Assert.True(both.ExitCode == 0, both.All);
        Assert.Equal(File.ReadAllBytes(setup.Remote(masked)), File.ReadAllBytes(local));

        // The local copy goes bad in place: same size, same time (a disk error, a careless tool), so only a hash tells.
        var modified = File.GetLastWriteTimeUtc(local);
        var bytes = File.ReadAllBytes(local);
        bytes[^1] ^= 0xFF;
        File.WriteAllBytes(local, bytes);
        File.SetLastWriteTimeUtc(local, modified);
        var quick = Run(setup.Project.Path, "Clean", "--skip");
        var rehash = Run(setup.Project.Path, "Clean", "--skip", "--confirm", "--rehash");

        Assert.Contains($"would delete  {masked}", quick.Output); // size and time cannot see it
        Assert.True(rehash.ExitCode == 0, rehash.All);
        Assert.Contains($"keep    {masked}: the local copy {local} is missing or differs from what was retrieved", rehash.Output);
        Assert.True(File.Exists(setup.Remote(masked)));
        Assert.False(File.Exists(setup.Remote(result)));
    }

    [Fact]
    public void A_result_written_again_on_the_cluster_while_Clean_runs_is_not_deleted()
    {
        TestCluster.Require();
        using var setup = new Setup();
        var results = setup.Results("Results/20210504/a_featuresN.hdf5", "Results/20210504/b_featuresN.hdf5");
        Assert.Equal(0, Run(setup.Project.Path, "Retrieve", "--skip").ExitCode);
        var before = new FileInfo(setup.Remote(results[0])).Length;
        // Tierpsy writes the file again after Clean hashed it (and found it retrieved), before Clean deletes.
        var build = new ChangingBuild(inner => new ChangingRemote(inner)
        {
            BeforeCommand = ("stat -c", () => TierpsyHdf5(setup.Remote(results[0]), complete: true, mask: [.. Enumerable.Range(0, 100)])),
        });

        var clean = Run(build, setup.Project.Path, "Clean", "--skip", "--confirm");

        Assert.Equal(1, build.Remote!.Changes);
        Assert.NotEqual(before, new FileInfo(setup.Remote(results[0])).Length);
        Assert.True(clean.ExitCode == 0, clean.All);
        Assert.Contains($"kept {results[0]}: it changed on the cluster (or went away) while Clean ran", clean.Error);
        Assert.True(File.Exists(setup.Remote(results[0])), "a file that is no longer the one verified must not be deleted");
        Assert.False(File.Exists(setup.Remote(results[1])));
        Assert.Contains("Deleted 1 verified files", clean.Output);
    }

    [Fact]
    public void Retrieve_refuses_a_destination_inside_a_staged_source_folder_and_copies_nothing()
    {
        TestCluster.Require();
        using var setup = new Setup();
        File.Delete(Path.Combine(setup.Day, "empty.txt")); // a Hydra day folder: imgstore folders only, no file of its own
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

    private static void CopyTree(string from, string to)
    {
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    private static (int ExitCode, string Output, string Error, string All) Run(string root, params string[] args) => Run(new TransferBuild(), root, args);

    private static (int ExitCode, string Output, string Error, string All) Run(TierpsyBuild build, string root, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = BuildRunner.RunAsync(build, new BuildInvocation
        {
            Arguments = args,
            Environment = new Dictionary<string, string>(),
            WorkingDirectory = root,
            Output = output,
            Error = error,
            Cancellation = Ct,
        }, []).GetAwaiter().GetResult();
        return (exit, output.ToString(), error.ToString(), output + "\n" + error);
    }
}
