namespace Tierpsy.Krypton.IntegrationTests;

/// <summary>
/// Clean over the real sshd: it deletes only what is verified to be safe here, and says why it keeps the rest.
/// </summary>
[Collection(Collection)]
public class CleanTests : TransferTestBase
{
    [Fact]
    public void Retrieve_copies_results_back_verified_and_clean_deletes_only_what_is_safe()
    {
        TestCluster.Require();
        using var setup = new Setup();
        Assert.Equal(0, Run(setup.Project.Path, "Stage", "--source", setup.Day).ExitCode);
        var results = setup.Results(
            "Results/20210504/cam one.22956818/metadata_featuresN.hdf5",
            "Results/20210504/näïve 'q' $cam.22956819/metadata_featuresN.hdf5"
        );
        File.WriteAllText(setup.Remote("Results/notes.txt"), "written on the cluster after Retrieve");
        Directory.CreateDirectory(setup.Remote("Tmp/Results/20210504/cam one.22956818"));
        File.WriteAllText(setup.Remote("Tmp/Results/20210504/cam one.22956818/metadata_skeletons.hdf5"), "leftover");
        File.WriteAllText(
            setup.Remote("Tmp/Results/20210504/cam one.22956818/other_skeletons.hdf5"),
            "unfinished video"
        );

        var retrieve = Run(setup.Project.Path, "Retrieve", "--skip");
        Assert.True(retrieve.ExitCode == 0, retrieve.All);
        Assert.Equal(
            File.ReadAllBytes(setup.Remote(results[1])),
            File.ReadAllBytes(Path.Combine(setup.Project.Path, results[1]))
        );
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
        Assert.True(
            File.Exists(setup.Remote("RawVideos/20210504/empty.txt")),
            "a raw file whose source changed is kept"
        );
        Assert.False(File.Exists(setup.StagedVideo));
        Assert.False(File.Exists(setup.Remote("Tmp/Results/20210504/cam one.22956818/metadata_skeletons.hdf5")));
        Assert.True(File.Exists(setup.Remote("Tmp/Results/20210504/cam one.22956818/other_skeletons.hdf5")));
        Assert.True(File.Exists(setup.Remote("AuxiliaryFiles/params.json")), "Clean never deletes parameter files");
        // The folders Clean emptied are gone; those still holding a kept file, and the top folders, stay.
        Assert.False(Directory.Exists(setup.Remote("Results/20210504/cam one.22956818")));
        Assert.True(Directory.Exists(setup.Remote("Results/20210504/näïve 'q' $cam.22956819")));
        Assert.True(Directory.Exists(setup.Remote("Tmp/Results/20210504/cam one.22956818")));
        Assert.True(Directory.Exists(setup.Remote("Results")));
    }

    [Fact]
    public void Clean_removes_the_folders_it_emptied_and_never_one_it_did_not()
    {
        TestCluster.Require();
        using var setup = new Setup();
        var results = setup.Results(
            "Results/20210504/cam $1.22956818/metadata_featuresN.hdf5",
            "Results/20210505/cam 2/metadata_featuresN.hdf5"
        );
        Directory.CreateDirectory(setup.Remote("Results/20210505/empty before Clean"));
        Assert.Equal(0, Run(setup.Project.Path, "Retrieve", "--skip").ExitCode);

        var clean = Run(setup.Project.Path, "Clean", "--skip", "--confirm");

        Assert.True(clean.ExitCode == 0, clean.All);
        Assert.All(results, r => Assert.False(File.Exists(setup.Remote(r))));
        Assert.False(Directory.Exists(setup.Remote("Results/20210504")), "emptied by Clean");
        Assert.False(Directory.Exists(setup.Remote("Results/20210505/cam 2")), "emptied by Clean");
        Assert.True(
            Directory.Exists(setup.Remote("Results/20210505/empty before Clean")),
            "empty before, not Clean's doing"
        );
        Assert.True(Directory.Exists(setup.Remote("Results")));
        Assert.Contains("and the 3 folders they left empty", clean.Output);
    }

    [Fact]
    public async Task Clean_deletes_nothing_while_a_task_of_the_project_is_queued_or_running_on_the_real_scheduler()
    {
        TestCluster.Require();
        using var setup = new Setup();
        Assert.Equal(0, Run(setup.Project.Path, "Stage", "--source", setup.Day).ExitCode);
        await using (
            var held = await HeldSubmission.StartAsync(
                setup.Project.Path,
                "20261126-120000",
                setup.Remote("workspace/submissions"),
                ["a/metadata.yaml", "b/metadata.yaml"],
                Ct
            )
        )
        {
            // --unanalysed: nothing was analysed yet, so the running task is all that keeps the raw videos.
            var refused = Run(setup.Project.Path, "Clean", "--skip", "--confirm", "--unanalysed");
            Assert.Equal(1, refused.ExitCode);
            Assert.Contains(
                $"Tasks are still queued or running on the cluster: submission 20261126-120000 (2 tasks, job "
                    + $"{held.JobId})",
                refused.Error
            );
            Assert.Contains("Nothing was deleted.", refused.Error);
            Assert.True(File.Exists(setup.StagedVideo));

            var plan = Run(setup.Project.Path, "Clean", "--skip");
            Assert.True(plan.ExitCode == 0, plan.All);
            Assert.Contains("Clean --confirm will refuse until they have ended", plan.All);
        }

        var clean = Run(setup.Project.Path, "Clean", "--skip", "--confirm", "--unanalysed");
        Assert.True(clean.ExitCode == 0, clean.All);
        Assert.False(File.Exists(setup.StagedVideo));
    }

    [Fact]
    public void Clean_keeps_raw_videos_whose_results_were_never_retrieved_unless_told_unanalysed()
    {
        TestCluster.Require();
        using var setup = new Setup();
        Assert.Equal(0, Run(setup.Project.Path, "Stage", "--source", setup.Day).ExitCode);

        // Staged and verified, but not analysed yet: Submit (or Verify --resubmit) still needs it on the cluster.
        var clean = Run(setup.Project.Path, "Clean", "--skip", "--confirm");
        Assert.True(clean.ExitCode == 0, clean.All);
        Assert.True(File.Exists(setup.StagedVideo), "a video whose results were never retrieved stays on the cluster");
        Assert.Contains(
            $"keep    {Setup.VideoOnCluster}: its video's results (Results/20210504/cam "
                + $"one.22956818/metadata_featuresN.hdf5) were never retrieved",
            clean.Output
        );

        var anyway = Run(setup.Project.Path, "Clean", "--skip", "--confirm", "--unanalysed");
        Assert.True(anyway.ExitCode == 0, anyway.All);
        Assert.False(File.Exists(setup.StagedVideo));
        Assert.True(File.Exists(setup.Remote("AuxiliaryFiles/params.json")), "Clean never deletes parameter files");
    }

    [Fact]
    public void Masked_videos_come_back_only_with_masked_and_clean_hashes_local_copies_so_one_altered_in_place_is_kept()
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
        var quick = Run(setup.Project.Path, "Clean", "--skip", "--quick-check");
        var rehash = Run(setup.Project.Path, "Clean", "--skip", "--confirm");

        // size and time cannot see it
        Assert.Contains(
            $"would delete  {masked}: retrieved to {local}; "
                + "its size and time are as when it was copied (--quick-check",
            quick.Output
        );
        Assert.True(rehash.ExitCode == 0, rehash.All);
        Assert.Contains(
            $"keep    {masked}: the local copy {local} is missing or differs from what was retrieved",
            rehash.Output
        );
        Assert.Contains(
            $"delete  {result}: retrieved to {Path.Combine(setup.Project.Path, result)}; "
                + "its fresh SHA-256 equals the cluster copy's",
            rehash.Output
        );
        Assert.True(File.Exists(setup.Remote(masked)));
        Assert.False(File.Exists(setup.Remote(result)));
    }

    [Fact]
    public void Clean_removes_the_leftovers_of_cut_off_runs_and_keeps_what_a_later_run_resumes()
    {
        TestCluster.Require();
        using var setup = new Setup();
        Assert.Equal(0, Run(setup.Project.Path, "Stage", "--source", setup.Day).ExitCode);
        // A cut-off Stage's partial copies: one whose source is still in the day folder, one renamed since.
        Directory.CreateDirectory(Path.Combine(setup.Day, "cam new.3"));
        File.WriteAllText(Path.Combine(setup.Day, "cam new.3", "000000.mp4"), "still to be staged");
        foreach (var partial in new[] { "cam new.3", "cam renamed.4" })
        {
            Directory.CreateDirectory(setup.Remote($"RawVideos/20210504/{partial}"));
            File.WriteAllText(setup.Remote($"RawVideos/20210504/{partial}/000000.mp4.krypton-partial"), "half");
        }
        // Helper files of runs cut off two hours ago (a hash list and its output, and the archive of small files a
        // Retrieve had packed ahead), and one a run may be using now.
        var old = new[]
        {
            $".krypton-hash-{new string('a', 32)}.list",
            $".krypton-hash-{new string('a', 32)}.list.out",
            $".krypton-batch-{new string('c', 32)}.tar",
        };
        File.WriteAllText(setup.Remote(old[0]), "x\0");
        Directory.CreateDirectory(setup.Remote(old[1]));
        File.WriteAllText(Path.Combine(setup.Remote(old[1]), "123"), "");
        File.WriteAllText(setup.Remote(old[2]), "an archive of small files");
        foreach (var path in old)
            Directory.SetLastWriteTimeUtc(setup.Remote(path), DateTime.UtcNow.AddHours(-2));
        var fresh = setup.Remote($".krypton-delete-{new string('b', 32)}.list");
        File.WriteAllText(fresh, "y\0");

        var plan = Run(setup.Project.Path, "Clean", "--skip");
        Assert.Contains($"would delete  {old[0]}: a helper file of an earlier run that was cut off", plan.Output);
        Assert.Contains("and remove 3 leftover helper files", plan.Output);
        var clean = Run(setup.Project.Path, "Clean", "--skip", "--confirm");

        Assert.True(clean.ExitCode == 0, clean.All);
        Assert.False(File.Exists(setup.Remote(old[0])));
        Assert.False(Directory.Exists(setup.Remote(old[1])));
        Assert.False(File.Exists(setup.Remote(old[2])));
        Assert.True(File.Exists(fresh), "a helper file under an hour old may be in use");
        Assert.Contains(
            "RawVideos/20210504/cam renamed.4/000000.mp4.krypton-partial: the partial copy of a file that "
                + "no staged folder holds any more",
            clean.Output
        );
        Assert.False(Directory.Exists(setup.Remote("RawVideos/20210504/cam renamed.4")));
        Assert.Contains(
            "a partial copy left by an interrupted Stage of " + Path.Combine(setup.Day, "cam new.3", "000000.mp4"),
            clean.Output
        );
        Assert.True(File.Exists(setup.Remote("RawVideos/20210504/cam new.3/000000.mp4.krypton-partial")));
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
            BeforeCommand = ("stat -c", () =>
                TierpsyHdf5(setup.Remote(results[0]), complete: true, mask: [.. Enumerable.Range(0, 100)])
            ),
        });

        var clean = Run(build, setup.Project.Path, "Clean", "--skip", "--confirm");

        Assert.Equal(1, build.Remote!.Changes);
        Assert.NotEqual(before, new FileInfo(setup.Remote(results[0])).Length);
        Assert.True(clean.ExitCode == 0, clean.All);
        Assert.Contains($"kept {results[0]}: it changed on the cluster (or went away) while Clean ran", clean.Error);
        Assert.True(
            File.Exists(setup.Remote(results[0])),
            "a file that is no longer the one verified must not be deleted"
        );
        Assert.False(File.Exists(setup.Remote(results[1])));
        Assert.Contains("Deleted 1 verified files", clean.Output);
    }
}
