using Tierpsy.Krypton.TestSupport;
using Tierpsy.Krypton.Transfer;
using Tierpsy.Krypton.Workflow;

namespace Tierpsy.Krypton.Tests.Workflow;

public class CleanPlanTests
{
    private static ManifestEntry Entry(string path, string sha) =>
        new(path, 10, sha, "/local/" + path, DateTime.UnixEpoch, DateTimeOffset.UnixEpoch);

    private static async Task<Dictionary<string, CleanDecision>> Decide(
        IEnumerable<RemoteFile> remote,
        IEnumerable<ManifestEntry> retrieved,
        IEnumerable<ManifestEntry> staged,
        Func<ManifestEntry, bool> localOk,
        string pattern = "*.yaml",
        bool unanalysed = false,
        IReadOnlySet<string>? reanalysed = null
    )
    {
        using var folder = new TempDirectory();
        var r = Manifest.Load(Path.Combine(folder.Path, "r.json"));
        foreach (var e in retrieved)
            r.Set(e);
        var s = Manifest.Load(Path.Combine(folder.Path, "s.json"));
        foreach (var e in staged)
            s.Set(e);
        var decisions = await CleanPlan.DecideAsync(
            remote.ToDictionary(f => f.Path),
            r,
            s,
            e => Task.FromResult(localOk(e)),
            pattern,
            unanalysed,
            reanalysed: reanalysed
        );
        return decisions.ToDictionary(d => d.Path);
    }

    [Fact]
    public async Task A_masked_video_a_reanalysis_reads_stays_until_its_new_features_are_retrieved()
    {
        RemoteFile[] remote =
        [
            new("MaskedVideos/d/a.hdf5", 10, 1, "ma"),
            new("MaskedVideos/d/b.hdf5", 10, 1, "mb"),
            new("Results/d/b_featuresN.hdf5", 10, 1, "fb"),
            new("MaskedVideos/d/c.hdf5", 10, 1, "mc"),
        ];
        ManifestEntry[] retrieved =
        [
            Entry("MaskedVideos/d/a.hdf5", "ma"),
            Entry("MaskedVideos/d/b.hdf5", "mb"),
            Entry("Results/d/b_featuresN.hdf5", "fb"),
            Entry("MaskedVideos/d/c.hdf5", "mc"),
        ];

        var d = await Decide(
            remote,
            retrieved,
            [],
            _ => true,
            reanalysed: new HashSet<string>(["MaskedVideos/d/a.hdf5", "MaskedVideos/d/b.hdf5"])
        );

        Assert.False(d["MaskedVideos/d/a.hdf5"].Delete); // its re-analysis has no retrieved features yet
        Assert.Contains("kept until Results/d/a_featuresN.hdf5 is retrieved", d["MaskedVideos/d/a.hdf5"].Reason);
        Assert.True(d["MaskedVideos/d/b.hdf5"].Delete); // its new features are retrieved
        Assert.True(d["MaskedVideos/d/c.hdf5"].Delete); // no re-analysis reads it
    }

    [Fact]
    public async Task Only_files_proven_safe_are_deleted_and_every_other_file_says_why_it_is_kept()
    {
        RemoteFile[] remote =
        [
            new("Results/d/a_featuresN.hdf5", 10, 1, "aaa"),
            new("Results/d/changed_featuresN.hdf5", 10, 1, "new"),
            new("Results/d/never_featuresN.hdf5", 10, 1, "nnn"),
            new("Results/d/localgone_featuresN.hdf5", 10, 1, "lll"),
            new("MaskedVideos/d/a.hdf5", 10, 1, "mmm"),
            new("Results/d/b_featuresN.hdf5.krypton-partial", 4, 1, null),
            new("RawVideos/d/cam/000000.mp4", 10, 1, "rrr"),
            new("RawVideos/d/cam/metadata.yaml", 10, 1, "yyy"),
            new("Tmp/Results/d/a_skeletons.hdf5", 10, 1, "t1"),
            new("Tmp/MaskedVideos/d/a.hdf5", 10, 1, "t2"),
            new("Tmp/Results/d/unfinished_skeletons.hdf5", 10, 1, "t3"),
            new("AuxiliaryFiles/params.json", 10, 1, "ppp"),
        ];
        ManifestEntry[] retrieved =
        [
            Entry("Results/d/a_featuresN.hdf5", "aaa"),
            Entry("Results/d/changed_featuresN.hdf5", "old"),
            Entry("Results/d/localgone_featuresN.hdf5", "lll"),
            Entry("MaskedVideos/d/a.hdf5", "mmm"),
            Entry("Results/d/cam/metadata_featuresN.hdf5", "ccc"), // the imgstore's results, retrieved (and cleaned) before
        ];
        ManifestEntry[] staged =
        [
            Entry("RawVideos/d/cam/000000.mp4", "rrr"),
            Entry("RawVideos/d/cam/metadata.yaml", "yyy"),
        ];

        var d = await Decide(remote, retrieved, staged, e =>
            !e.Path.Contains("localgone", StringComparison.Ordinal)
            && !e.Path.EndsWith(".yaml", StringComparison.Ordinal)
        );

        Assert.Equal(
            [
                "MaskedVideos/d/a.hdf5",
                "RawVideos/d/cam/000000.mp4",
                "Results/d/a_featuresN.hdf5",
                "Tmp/MaskedVideos/d/a.hdf5",
                "Tmp/Results/d/a_skeletons.hdf5",
            ],
            d.Values.Where(x => x.Delete).Select(x => x.Path).Order(StringComparer.Ordinal)
        );
        // A result came from the cluster to the local copy; a raw video went from the local source to the cluster.
        Assert.Equal(
            "retrieved to /local/Results/d/a_featuresN.hdf5; its fresh SHA-256 equals the cluster copy's",
            d["Results/d/a_featuresN.hdf5"].Reason
        );
        Assert.Equal(
            "staged from /local/RawVideos/d/cam/000000.mp4; its fresh SHA-256 equals the cluster copy's",
            d["RawVideos/d/cam/000000.mp4"].Reason
        );
        Assert.Equal(
            "changed on the cluster since it was retrieved: run Retrieve again",
            d["Results/d/changed_featuresN.hdf5"].Reason
        );
        Assert.Equal("never retrieved: run Retrieve first", d["Results/d/never_featuresN.hdf5"].Reason);
        Assert.Contains(
            "is missing or differs from what was retrieved",
            d["Results/d/localgone_featuresN.hdf5"].Reason
        );
        Assert.Equal(
            "a partial copy of something other than a raw video: Clean never deletes it",
            d["Results/d/b_featuresN.hdf5.krypton-partial"].Reason
        );
        Assert.Contains("is missing or differs from what was staged", d["RawVideos/d/cam/metadata.yaml"].Reason);
        Assert.Equal(
            "temporary file of a video that is not finished: Tierpsy resumes from it",
            d["Tmp/Results/d/unfinished_skeletons.hdf5"].Reason
        );
        Assert.Contains("Clean never deletes it", d["AuxiliaryFiles/params.json"].Reason);
    }

    [Fact]
    public async Task A_partial_copy_whose_source_no_staged_folder_holds_any_more_is_deleted_and_the_others_kept()
    {
        RemoteFile[] remote =
        [
            new("RawVideos/20210504/cam.1/000000.mp4.krypton-partial", 4, 1, null), // its source is still there
            // renamed before its copy ended
            new("RawVideos/20210504/old " + "name.2/000000.mp4.krypton-partial", 4, 1, null),
            new("RawVideos/loose.mp4.krypton-partial", 4, 1, null), // from a folder that is not a day folder
        ];
        using var folder = new TempDirectory();
        var empty = Manifest.Load(Path.Combine(folder.Path, "m.json"));
        string[] stagedFolders = ["/share/20210504", "/share/loose videos"];
        var present = new HashSet<string> { "/share/20210504/cam.1/000000.mp4", "/share/loose videos/loose.mp4" };

        var decisions = (
            await CleanPlan.DecideAsync(
                remote.ToDictionary(f => f.Path),
                empty,
                empty,
                _ => Task.FromResult(true),
                stagedFolders: stagedFolders,
                localExists: present.Contains
            )
        ).ToDictionary(d => d.Path);

        Assert.Equal(
            ["RawVideos/20210504/old name.2/000000.mp4.krypton-partial"],
            decisions.Values.Where(d => d.Delete).Select(d => d.Path)
        );
        Assert.Equal(
            "the partial copy of a file that no staged folder holds any more "
                + "(/share/20210504/old name.2/000000.mp4, /share/loose videos/20210504/old name.2/000000.mp4): "
                + "it was renamed or removed before its copy ended",
            decisions["RawVideos/20210504/old name.2/000000.mp4.krypton-partial"].Reason
        );
        Assert.Equal(
            "a partial copy left by an interrupted Stage of /share/20210504/cam.1/000000.mp4: the next "
                + "Stage resumes it",
            decisions["RawVideos/20210504/cam.1/000000.mp4.krypton-partial"].Reason
        );
        Assert.False(decisions["RawVideos/loose.mp4.krypton-partial"].Delete);
    }

    [Fact]
    public async Task A_staged_raw_video_is_kept_until_its_results_were_retrieved_unless_unanalysed()
    {
        // Two Hydra imgstores (the video is metadata.yaml; its chunks and index belong to it) and a file of the day
        // folder.
        RemoteFile[] remote =
        [
            new("RawVideos/d/done.1/metadata.yaml", 10, 1, "y1"),
            new("RawVideos/d/done.1/000000.mp4", 10, 1, "m1"),
            new("RawVideos/d/todo.2/metadata.yaml", 10, 1, "y2"),
            new("RawVideos/d/todo.2/000000.mp4", 10, 1, "m2"),
            new("RawVideos/d/todo.2/000000.npz", 10, 1, "n2"),
            new("RawVideos/d/plate map.csv", 10, 1, "c"),
        ];
        var staged = remote.Select(f => Entry(f.Path, f.Sha256!)).ToList();
        ManifestEntry[] retrieved = [Entry("Results/d/done.1/metadata_featuresN.hdf5", "f1")];

        var kept = await Decide(remote, retrieved, staged, _ => true);
        var anyway = await Decide(remote, retrieved, staged, _ => true, unanalysed: true);

        Assert.Equal(
            ["RawVideos/d/done.1/000000.mp4", "RawVideos/d/done.1/metadata.yaml", "RawVideos/d/plate map.csv"],
            kept.Values.Where(x => x.Delete).Select(x => x.Path).Order(StringComparer.Ordinal)
        );
        Assert.Equal(
            "its video's results (Results/d/todo.2/metadata_featuresN.hdf5) were never retrieved, and analysing it "
                + "(or Verify --resubmit) needs it here: "
                + "run Retrieve once it is analysed, or Clean --unanalysed to delete it anyway",
            kept["RawVideos/d/todo.2/000000.npz"].Reason
        );
        Assert.All(anyway.Values, x => Assert.True(x.Delete, x.Path));
    }

    [Fact]
    public async Task With_one_file_per_video_each_raw_video_waits_for_its_own_results()
    {
        RemoteFile[] remote =
        [
            new("RawVideos/d/a.mp4", 10, 1, "a"),
            new("RawVideos/d/b.mp4", 10, 1, "b"),
            new("RawVideos/d/b.log", 10, 1, "l"),
        ];
        var staged = remote.Select(f => Entry(f.Path, f.Sha256!)).ToList();

        var d = await Decide(remote, [Entry("Results/d/a_featuresN.hdf5", "f")], staged, _ => true, pattern: "*.mp4");

        Assert.True(d["RawVideos/d/a.mp4"].Delete);
        Assert.False(d["RawVideos/d/b.mp4"].Delete);
        Assert.Contains("(Results/d/b_featuresN.hdf5) were never retrieved", d["RawVideos/d/b.mp4"].Reason);
        // Not a video itself: it waits for every video of its folder.
        Assert.False(d["RawVideos/d/b.log"].Delete);
    }

    [Fact]
    public async Task Without_manifests_nothing_is_deleted()
    {
        var d = await Decide(
            [new("Results/x_featuresN.hdf5", 1, 1, "h"), new("RawVideos/v.mp4", 1, 1, "v")],
            [],
            [],
            _ => true
        );

        Assert.DoesNotContain(d.Values, x => x.Delete);
    }
}
