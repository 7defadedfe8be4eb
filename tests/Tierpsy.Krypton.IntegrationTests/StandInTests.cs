using System.Diagnostics;
using Tierpsy.Krypton.TestSupport;
using Tierpsy.Krypton.Tierpsy;

namespace Tierpsy.Krypton.IntegrationTests;

/// <summary>
/// The Tierpsy stand-in behaves as tests/fixtures/tierpsy/FORMATS.md says Tierpsy does (sections 3, 5 and 7), read
/// through
/// the product's own listing parser and log classifier: a checkpoint is done by its HDF5 provenance node, a failed
/// run leaves its work in the temp folder and the next run resumes from it, outputs reach the final folders only
/// when every step succeeded.
/// </summary>
public sealed class StandInTests : IDisposable
{
    private readonly TempDirectory _root = new("krypton standin $");
    private readonly string _standin;

    public StandInTests()
    {
        _standin = Path.Combine(_root.Path, "bin");
        StandIn.Install(_standin);
        _root.Write(
            Path.Combine("AuxiliaryFiles", "params.json"),
            Fixtures.Read("params/loopbio_rig_96WP_splitFOV_NN_20220310.json")
        );
    }

    public void Dispose() => _root.Dispose();

    private string Folder(string name) => Path.Combine(_root.Path, name);

    private string Video(string name, string content = "__store: imgstore\n") =>
        _root.Write(Path.Combine("RawVideos", "20210504", name, "metadata.yaml"), content);

    private ListingResult List()
    {
        var (exit, output, error) = Python(
            Path.Combine(_standin, "tierpsy_process"),
            "--video_dir_root",
            Folder("RawVideos"),
            "--mask_dir_root",
            Folder("MaskedVideos"),
            "--results_dir_root",
            Folder("Results"),
            "--tmp_dir_root",
            Folder("Tmp"),
            "--json_file",
            Folder("AuxiliaryFiles/params.json"),
            "--pattern_include",
            "*.yaml",
            "--only_summary",
            "--is_debug"
        );
        Assert.True(exit == 0, error);
        return ListingParser.Parse(output, error, exit);
    }

    /// <summary>
    /// Runs a task's command line as the job script does (stdin from /dev/null), output and errors merged.
    /// </summary>
    private (int Exit, string Log) RunTask(TierpsyTask task)
    {
        var (exit, output, error) = Python(task.Words[0], [.. task.Words.Skip(1)]);
        return (exit, output + error);
    }

    private static (int Exit, string Output, string Error) Python(string program, params string[] args)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (var a in args)
            start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output, error.Result);
    }

    [Fact]
    public void A_video_root_that_does_not_exist_crashes_the_listing_as_tierpsy_does()
    {
        var (exit, output, error) = Python(
            Path.Combine(_standin, "tierpsy_process"),
            "--video_dir_root",
            Folder("RawVideos"),
            "--mask_dir_root",
            Folder("MaskedVideos"),
            "--results_dir_root",
            Folder("Results"),
            "--json_file",
            Folder("AuxiliaryFiles/params.json"),
            "--pattern_include",
            "*.yaml",
            "--only_summary",
            "--is_debug"
        );

        Assert.Equal((1, ""), (exit, output));
        Assert.EndsWith($"FileNotFoundError: [Errno 2] No such file or directory: '{Folder("RawVideos")}'\n", error);
        var refused = Assert.Throws<ListingException>(() => ListingParser.Parse(output, error, exit));
        Assert.Equal(ListingFailure.FolderMissing, refused.Reason);
    }

    [Fact]
    public void The_listing_walks_each_videos_provenance_nodes_in_the_final_folders()
    {
        foreach (var name in new[] { "a", "b", "c" })
            Video(name);
        Video("empty", "");
        var first = List();
        Assert.Equal((3, 0, 1, 0), (first.Unprocessed, first.Incomplete, first.Invalid, first.Finished));
        Assert.All(first.Tasks, t => Assert.Equal(Checkpoints.Tierpsy, t.Checkpoints));

        // b runs COMPRESS only (its masked video gets the COMPRESS node), c runs everything.
        var b = first.Tasks.Single(t => t.Video.EndsWith("/b/metadata.yaml", StringComparison.Ordinal));
        Assert.Equal(
            0,
            RunTask(
                new TierpsyTask([
                    .. b.Words.TakeWhile(w => w != "--analysis_checkpoints"),
                    "--analysis_checkpoints",
                    "COMPRESS",
                ])
            ).Exit
        );
        Assert.Equal(
            0,
            RunTask(first.Tasks.Single(t => t.Video.EndsWith("/c/metadata.yaml", StringComparison.Ordinal))).Exit
        );

        var second = List();
        Assert.Equal((1, 1, 1, 1), (second.Unprocessed, second.Incomplete, second.Invalid, second.Finished));
        Assert.EndsWith("/b/metadata.yaml", second.Tasks[0].Video, StringComparison.Ordinal); // incomplete ones first
        Assert.Equal(Checkpoints.Tierpsy.Skip(1), second.Tasks[0].Checkpoints);
        Assert.Null(TierpsyOutput.Problem(Path.Combine(Folder("Results"), "20210504", "c", "metadata_featuresN.hdf5")));

        // A provenance file that is not HDF5 (cut short) does not count, whatever its name.
        File.WriteAllText(Path.Combine(Folder("MaskedVideos"), "20210504", "b", "metadata.hdf5"), "not HDF5");
        var third = List();
        Assert.Equal((2, 0, 1, 1), (third.Unprocessed, third.Incomplete, third.Invalid, third.Finished));
    }

    [Fact]
    public void A_failed_step_leaves_its_work_in_Tmp_and_the_next_run_resumes_from_it()
    {
        var video = Video("a");
        File.WriteAllText(Path.Combine(Path.GetDirectoryName(video)!, "FAIL_TRAJ_CREATE_ONCE"), "");
        var task = List().Tasks.Single();
        var tmpMasked = Path.Combine(Folder("Tmp"), "MaskedVideos", "20210504", "a", "metadata.hdf5");

        var (exit, log) = RunTask(task);
        Assert.Equal(1, exit);
        var failed = TaskLogClassifier.Classify(log, ended: true);
        Assert.Equal((TaskOutcome.Traceback, "TRAJ_CREATE"), (failed.Outcome, failed.Checkpoint));
        Assert.Null(TierpsyOutput.Problem(tmpMasked)); // COMPRESS's work stays in Tmp ...
        Assert.False(Directory.Exists(Folder("MaskedVideos"))); // ... and nothing reached the final folders,
        Assert.Equal(1, List().Unprocessed); // so the listing (which never looks at Tmp) shows it unprocessed.

        (exit, log) = RunTask(task);
        Assert.Equal(0, exit);
        Assert.Contains("a Starting checkpoint: TRAJ_CREATE", log);
        Assert.Equal(TaskOutcome.Succeeded, TaskLogClassifier.Classify(log, ended: true).Outcome);
        Assert.Contains($"Copying {tmpMasked} to {Path.Combine(Folder("MaskedVideos"), "20210504", "a")}", log);
        Assert.False(File.Exists(tmpMasked));
        Assert.Equal(1, List().Finished);

        (exit, log) = RunTask(task);
        Assert.Equal(0, exit);
        Assert.Equal(TaskOutcome.AlreadyFinished, TaskLogClassifier.Classify(log, ended: true).Outcome);
    }
}
