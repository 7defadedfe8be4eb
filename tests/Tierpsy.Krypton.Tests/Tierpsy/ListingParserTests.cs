using Tierpsy.Krypton.TestSupport;
using Tierpsy.Krypton.Tierpsy;

namespace Tierpsy.Krypton.Tests.Tierpsy;

public class ListingParserTests
{
    [Fact]
    public void Two_unprocessed_hydra_videos_give_two_tasks_in_tierpsys_order()
    {
        var result = ListingParser.Parse(
            Fixtures.Read("generated/listing/tierpsy_output__hydra_yaml_2_unprocessed.txt")
        );

        Assert.Equal(
            (2, 0, 0, 0, 2),
            (result.Unprocessed, result.Incomplete, result.Invalid, result.Finished, result.ToProcess)
        );
        Assert.Equal(
            [
                "/mnt/storage/home/jdoe/tierpsy_sample/RawVideos/20210504/synthplate_run1_bluelight_20210504_120000.22956818/metadata.yaml",
                "/mnt/storage/home/jdoe/tierpsy_sample/RawVideos/20191108/dmsotests_run1_20191108_153352.22956809/metadata.yaml",
            ],
            result.Tasks.Select(t => t.Video)
        );
        Assert.Equal(Checkpoints.Tierpsy, result.Tasks[0].Checkpoints);
        Assert.Equal("--copy_unfinished", result.Tasks[0].Words[^1]);
    }

    [Fact]
    public void The_task_lines_hold_what_the_original_filter_script_extracted()
    {
        var result = ListingParser.Parse(
            Fixtures.Read("generated/listing/tierpsy_output__hydra_yaml_2_unprocessed.txt")
        );
        var original = Fixtures.Read("generated/listing/files2process__hydra_yaml_2_unprocessed.txt").Split('\n');

        // The original replaced the interpreter by 'python'; every other word must be the same.
        Assert.Equal(original.Length, result.Tasks.Count);
        for (var i = 0; i < original.Length; i++)
            Assert.Equal(ListingParser.SplitCommand(original[i]).Skip(1), result.Tasks[i].Words.Skip(1));
    }

    [Fact]
    public void An_invalid_video_is_counted_and_gets_no_task()
    {
        var result = ListingParser.Parse(
            Fixtures.Read("generated/listing/tierpsy_output__mp4_2_unprocessed_1_invalid.txt")
        );

        Assert.Equal((2, 1, 2), (result.Unprocessed, result.Invalid, result.Tasks.Count));
        Assert.DoesNotContain(result.Tasks, t => t.Video.EndsWith("c_empty.mp4", StringComparison.Ordinal));
    }

    [Fact]
    public void An_incomplete_video_resumes_at_its_remaining_checkpoints()
    {
        var result = ListingParser.Parse(Fixtures.Read("generated/listing/tierpsy_output__1_incomplete.txt"));

        Assert.Equal(1, result.Incomplete);
        Assert.Equal(["FEAT_INIT", "FEAT_TIERPSY"], Assert.Single(result.Tasks).Checkpoints);
    }

    [Fact]
    public void Nothing_left_to_do_is_zero_tasks_not_the_bogus_lines_of_the_original()
    {
        var result = ListingParser.Parse(Fixtures.Read("generated/listing/tierpsy_output__all_finished.txt"));

        Assert.Equal((0, 1), (result.ToProcess, result.Finished));
        Assert.Empty(result.Tasks);
    }

    [Fact]
    public void A_pattern_on_the_wrong_tree_lists_the_chunks_as_videos()
    {
        var result = ListingParser.Parse(
            Fixtures.Read("generated/listing/tierpsy_output__mp4_pattern_on_mixed_tree.txt")
        );

        Assert.Equal(result.ToProcess, result.Tasks.Count);
        Assert.Contains(result.Tasks, t => t.Video.EndsWith("000000.mp4", StringComparison.Ordinal));
    }

    [Fact]
    public void Unmet_requirement_lines_are_read_and_a_missing_command_block_is_an_error()
    {
        var text = Fixtures.Read("generated/listing/stdout__unmet_requirements.txt");

        var error = Assert.Throws<ListingException>(() => ListingParser.Parse(text));
        Assert.Contains("5 files to be processed, but 0 command lines", error.Message);

        var finishedOnly = text.Replace("5\tUnprocessed", "0\tUnprocessed", StringComparison.Ordinal)
            .Replace("5\tTotal", "0\tTotal", StringComparison.Ordinal);
        var result = ListingParser.Parse(finishedOnly);
        Assert.Equal(
            [("can_read_video", "/mnt/storage/home/jdoe/tierpsy_sample/RawVideos/20210504/c_empty.mp4")],
            result.Unmet
        );
    }

    [Fact]
    public void A_listing_that_matched_no_video_is_an_error()
    {
        var text = string.Join(
            "\n",
            Fixtures
                .Read("generated/listing/tierpsy_output__all_finished.txt")
                .Split('\n')
                .Select(l =>
                    l == "1\tFiles that were succesfully finished." ? "0\tFiles that were succesfully finished." : l
                )
        );

        var error = Assert.Throws<ListingException>(() => ListingParser.Parse(text));

        Assert.StartsWith("The listing matched no video.", error.Message);
    }

    [Theory]
    [InlineData(
        "generated/errors/stderr__tierpsy2022_with_20200526_json.txt",
        "Tierpsy rejects the key \"MWP_well_masked_edge\""
    )]
    [InlineData(
        "generated/errors/stderr__tierpsy2020_with_20220310_json.txt",
        "Tierpsy rejects the key \"MWP_mapping\""
    )]
    [InlineData(
        "generated/errors/stderr__listing_yaml_without_imgstore.txt",
        "cannot import the Python module 'imgstore'"
    )]
    [InlineData(
        "generated/errors/stderr__listing_processed_file_without_keras.txt",
        "cannot import the Python module 'keras'"
    )]
    public void A_crashed_listing_is_an_error_that_names_the_cause(string fixture, string expected)
    {
        var error = Assert.Throws<ListingException>(() => ListingParser.Parse("", Fixtures.Read(fixture), exitCode: 1));

        Assert.Contains(expected, error.Message);
        Assert.Contains("ubmitted", error.Message);
    }

    [Fact]
    public void A_missing_video_root_is_named_with_a_typed_reason()
    {
        // What the real 1.5.3a prints for a --video_dir_root that does not exist (FORMATS.md 3.2b).
        const string stderr = """
            Traceback (most recent call last):
              File "/mnt/storage/home/jdoe/tierpsy-tracker/tierpsy/processing/helper.py", line 30, in find_valid_files
            FileNotFoundError: [Errno 2] No such file or directory: '/mnt/storage/home/jdoe/tierpsy_sample/RawVideos'

            """;

        var error = Assert.Throws<ListingException>(() => ListingParser.Parse("", stderr, 1));

        Assert.Equal(ListingFailure.FolderMissing, error.Reason);
        Assert.StartsWith(
            "The folder /mnt/storage/home/jdoe/tierpsy_sample/RawVideos does not exist on the cluster",
            error.Message
        );
    }

    [Fact]
    public void A_listing_that_matched_no_video_has_its_own_reason()
    {
        var text = Fixtures
            .Read("generated/listing/tierpsy_output__all_finished.txt")
            .Replace(
                "1\tFiles that were succesfully finished.",
                "0\tFiles that were succesfully finished.",
                StringComparison.Ordinal
            );

        Assert.Equal(
            ListingFailure.NoVideoMatched,
            Assert.Throws<ListingException>(() => ListingParser.Parse(text)).Reason
        );
    }

    [Fact]
    public void Tierpsy_process_missing_on_the_cluster_is_named()
    {
        var error = Assert.Throws<ListingException>(() =>
            ListingParser.Parse("", "bash: line 1: tierpsy_process: command not found\n", 127)
        );

        Assert.StartsWith("tierpsy_process was not found on the cluster.", error.Message);
    }

    [Fact]
    public void Counts_that_do_not_add_up_are_an_error()
    {
        var text = Fixtures
            .Read("generated/listing/tierpsy_output__hydra_yaml_2_unprocessed.txt")
            .Replace("2\tTotal", "3\tTotal", StringComparison.Ordinal);

        Assert.Contains(
            "3 files to be processed, but 2 unprocessed + 0 incomplete",
            Assert.Throws<ListingException>(() => ListingParser.Parse(text)).Message
        );
    }

    [Fact]
    public void Every_listing_fixture_with_a_command_block_parses()
    {
        foreach (var fixture in Fixtures.List("generated/listing", "tierpsy_output__*.txt"))
        {
            var result = ListingParser.Parse(Fixtures.Read(fixture));
            Assert.True(result.Tasks.Count == result.ToProcess, fixture);
        }
    }

    [Fact]
    public void Tasks_render_as_safe_shell_lines()
    {
        var task = new TierpsyTask([
            "/opt/py thon",
            "/x/ProcessLocal.py",
            "/data/behavgenom$/it's.mp4",
            "--masks_dir",
            "/m",
            "--results_dir",
            "/r",
        ]);

        Assert.Equal(
            "'/opt/py thon' /x/ProcessLocal.py '/data/behavgenom$/it'\\''s.mp4' --masks_dir /m --results_dir /r < "
                + "/dev/null",
            task.ToShell()
        );
    }
}
