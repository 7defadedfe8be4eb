using Tierpsy.Krypton.TestSupport;
using Tierpsy.Krypton.Tierpsy;

namespace Tierpsy.Krypton.Tests.Tierpsy;

public class SummarizerCommandTests
{
    [Fact]
    public void The_default_call_is_the_original_workflows_and_is_approved()
    {
        var line = SummarizerCommand.Render(
            "/mnt/storage/home/jdoe/tierpsy_my project/Results/20210504",
            new SummarizerOptions()
        );

        Approvals.Verify(line);
        Assert.Contains("filter_length_min=\"700.0\", filter_length_max=\"1300.0\"", line);
        Assert.EndsWith("'/mnt/storage/home/jdoe/tierpsy_my project/Results/20210504' < /dev/null", line);
    }

    /// <summary>
    /// Tierpsy 1.5.3a's signature, with its first use of <c>n_parallel</c> (check_n_parallel on a cluster).
    /// </summary>
    private const string Signature2022 = """
        import os
        def calculate_summaries(root_dir, feature_type, summary_type, is_manual_index, abbreviate_features,
                                dorsal_side_known, time_windows='0:end', time_units=None, select_feat='all',
                                keywords_include='', keywords_exclude='', _is_debug=False, n_parallel=-1, **kwargs):
            n_parallel = max(1, n_parallel)
            print(repr((root_dir, feature_type, summary_type, is_manual_index, abbreviate_features, dorsal_side_known,
                        time_windows, time_units, select_feat, keywords_include, keywords_exclude, _is_debug)))
            print(repr(sorted(kwargs.items())))
        """;

    /// <summary>The 2020 code's signature (1.5.2-alpha), whose 13th parameter is <c>append_to_file</c>.</summary>
    private const string Signature2020 = """
        def calculate_summaries(root_dir, feature_type, summary_type, is_manual_index, abbreviate_features,
                                dorsal_side_known, time_windows='0:end', time_units=None, select_feat='all',
                                keywords_include='', keywords_exclude='', _is_debug=False, append_to_file=None,
                                **kwargs):
            print(repr((root_dir, feature_type, summary_type, is_manual_index, abbreviate_features, dorsal_side_known,
                        time_windows, time_units, select_feat, keywords_include, keywords_exclude, _is_debug)))
            print(repr(sorted(kwargs.items())))
        """;

    [Theory]
    [InlineData(Signature2022)]
    [InlineData(Signature2020)]
    public async Task The_rendered_program_passes_every_argument_to_either_signature(string collect)
    {
        using var folder = new TempDirectory();
        folder.Write("tierpsy/__init__.py", "");
        folder.Write("tierpsy/summary/__init__.py", "");
        folder.Write("tierpsy/summary/collect.py", collect);
        folder.Write("python", "#!/bin/sh\nexec python3 \"$@\"\n");
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(Path.Combine(folder.Path, "python"), (UnixFileMode)0b111_101_101);
        var options = new SummarizerOptions
        {
            TimeWindows = "0:300,300:end",
            KeywordsExclude = "it's \"odd\"",
            FilterLengthMin = null,
        };
        var line = SummarizerCommand.Render(Path.Combine(folder.Path, "day $1"), options);

        var run = await ProcessRunner.RunAsync(
            "bash",
            ["-c", line],
            folder.Path,
            new Dictionary<string, string?>
            {
                ["PATH"] = folder.Path + ":" + Environment.GetEnvironmentVariable("PATH"),
                ["PYTHONPATH"] = folder.Path,
                ["SLURM_JOB_ID"] = "1", // on a cluster, Tierpsy 1.5.3a does not cap n_parallel
            },
            cancellation: TestContext.Current.CancellationToken
        );

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains(
            $"('{folder.Path}/day $1', 'tierpsy', 'plate', False, False, False, '0:300,300:end', 'seconds', 'all', "
                + "'', 'it\\'s \"odd\"', False)",
            run.Output
        );
        Assert.Contains("('filter_length_min', '')", run.Output); // Tierpsy's own value for a filter that is off
        Assert.Contains("('filter_width_max', '200.0')", run.Output);
        Assert.DoesNotContain("append_to_file", run.Output);
    }

    [Theory]
    [InlineData("abc", "--time-windows 'abc' is not a list of start:end windows")]
    [InlineData("0:end,", "--time-windows '0:end,' is not a list")]
    public void Bad_time_windows_are_refused(string windows, string message) =>
        Assert.StartsWith(message, Assert.Single(new SummarizerOptions { TimeWindows = windows }.Problems()));

    [Fact]
    public void Filters_must_be_ordered_and_units_known()
    {
        var problems = new SummarizerOptions
        {
            FilterLengthMin = 1300,
            FilterLengthMax = 700,
            TimeUnits = "minutes",
        }.Problems();

        Assert.Contains("--time-units must be seconds or frame_numbers, not 'minutes'.", problems);
        Assert.Contains("--filter-length-min (1300) must be below --filter-length-max (700).", problems);
        Assert.Empty(new SummarizerOptions().Problems());
    }
}
