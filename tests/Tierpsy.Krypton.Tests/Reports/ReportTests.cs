using System.Text;
using Tierpsy.Krypton.Remote;
using Tierpsy.Krypton.Reports;
using Tierpsy.Krypton.Schedulers;
using Tierpsy.Krypton.TestSupport;
using Tierpsy.Krypton.Workflow;

namespace Tierpsy.Krypton.Tests.Reports;

/// <summary>
/// The report's data, from recorded summaries, logs written as the job script writes them, and sacct text.
/// </summary>
public class ReportTests
{
    private const string Imgstore = "synthplate_run1_bluelight_20210504_120000.22956818";

    private static IReadOnlyList<SummaryRow> RecordedDayWithWells(string feature) =>
        JoinedSummary.Read(
            Utf8(Fixtures.Read($"{Day}__filenames_summary_tierpsy_plate_20261125_175344.csv")),
            Utf8(Fixtures.Read($"{Day}__features_summary_tierpsy_plate_20261125_175344__TRIMMED_first24cols.csv")),
            feature
        );

    private const string Day = "generated/summarizer/20210504";
    private static readonly DateTimeOffset Epoch = DateTimeOffset.UnixEpoch;

    private static MemoryStream Utf8(string text) => new(Encoding.UTF8.GetBytes(text));

    /// <summary>A stream that gives at most a few bytes per read, as a slow disk or pipe may.</summary>
    private sealed class TrickleStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, 7));
    }

    [Fact]
    public void A_features_table_is_read_by_column_name_whatever_its_line_ends_reads_and_line_lengths()
    {
        var names =
            "# FEATURE SUMMARIES FILE,x\r\nfile_id,filename,is_good\r\n0,/r/Results/d/a_featuresN.hdf5,True\r\n"
            + "1,/r/Results/d/b_featuresN.hdf5,True\r\n";
        var longField = new string('9', 3 << 20); // longer than the reader's first buffer
        var features =
            "# FILENAMES SUMMARY FILE,y\r\nfiller,speed_50th,well_name,file_id,n_skeletons\r\n"
            + $"{longField},12.5,A1,1,400.0\r\n"
            + "7,,B2,0,300.0\r\n"
            + "7,3.25\r\n";

        var rows = JoinedSummary.Read(Utf8(names), new TrickleStream(Encoding.UTF8.GetBytes(features)), "speed_50th");

        Assert.Equal(
            [
                new SummaryRow("/r/Results/d/b_featuresN.hdf5", "A1", new WellValue(400, 12.5)),
                new SummaryRow("/r/Results/d/a_featuresN.hdf5", "B2", new WellValue(300, null)),
            ],
            rows
        );
    }

    [Fact]
    public void A_real_day_summary_with_wells_gives_one_value_per_well_of_its_imgstore()
    {
        var rows = RecordedDayWithWells("speed_tail_tip_w_paused_IQR");

        Assert.Equal(16, rows.Count);
        Assert.All(rows, r => Assert.Equal($"20210504/{Imgstore}", ReportBuilder.ResultKey(r.File)));
        Assert.Equal(16, rows.Select(r => r.Well).Distinct().Count());
        Assert.All(rows, r => Assert.NotNull(r.Value.Skeletons));
        Assert.Contains(rows, r => r.Value.Feature is not null);
    }

    [Fact]
    public void A_feature_the_summary_lacks_leaves_the_wells_without_a_value()
    {
        Assert.All(RecordedDayWithWells("no_such_feature"), r => Assert.Null(r.Value.Feature));
    }

    [Fact]
    public void Cameras_sharing_a_name_make_one_plate_and_a_camera_without_features_leaves_its_wells_empty()
    {
        var rows = RecordedDayWithWells("speed_tail_tip_w_paused_IQR");
        (string, VideoOutcome)[] videos =
        [
            ($"20210504/{Imgstore}/metadata.yaml", VideoOutcome.Finished),
            ("20210504/synthplate_run1_bluelight_20210504_120000.22956816/metadata.yaml", VideoOutcome.Failed),
            ("20210505/plain_well_video.mp4", VideoOutcome.Finished),
        ];

        var (plates, singles) = ReportBuilder.Plates(videos, rows);

        var plate = Assert.Single(plates);
        Assert.Equal(("20210504", "synthplate_run1_bluelight_20210504_120000"), (plate.Day, plate.Name));
        Assert.Equal(["22956816", "22956818"], plate.Cameras.Select(c => c.Serial));
        Assert.Equal(16, plate.Wells.Count); // the failed camera's 16 wells have none
        Assert.Equal("20210505/plain_well_video", Assert.Single(singles).Name);
    }

    [Theory]
    [InlineData("20210504/plate.22956818/metadata.yaml", "20210504/plate.22956818")]
    [InlineData("20210504/sub/video.mp4", "20210504/sub/video")]
    public void A_video_and_its_features_file_have_the_same_key(string video, string key)
    {
        var features = key.Contains(".2295", StringComparison.Ordinal)
            ? $"/home/j/p/Results/{key}/metadata_featuresN.hdf5"
            : $"/home/j/p/Results/{key}_featuresN.hdf5";

        Assert.Equal((key, key), (ReportBuilder.VideoKey(video), ReportBuilder.ResultKey(features)));
    }

    [Fact]
    public void The_suggested_walltime_is_the_95th_percentile_of_the_run_times_plus_a_fifth()
    {
        var tasks = Enumerable
            .Range(1, 20)
            .Select(m => new TaskRun(
                "s1",
                1,
                m,
                $"v{m}",
                DateTimeOffset.UnixEpoch,
                DateTimeOffset.UnixEpoch.AddMinutes(m),
                0,
                null,
                TimeSpan.FromHours(30),
                null
            ))
            .ToList();

        var resources = ReportBuilder.Resources(tasks);

        Assert.Equal(TimeSpan.FromMinutes(23), resources.Suggested); // 19 min (95th) x 1.2 = 22.8, rounded up
        Assert.Equal(TimeSpan.FromHours(30), resources.Asked);
    }

    [Fact]
    public void The_suggested_memory_is_the_95th_percentile_of_the_memory_used_plus_a_fifth_in_whole_gibibytes()
    {
        var tasks = Enumerable
            .Range(1, 20)
            .Select(g => new TaskRun("s1", 1, g, $"v{g}", Epoch, Epoch.AddHours(1), 0, null, null, g * (1L << 30)))
            .ToList();

        var resources = ReportBuilder.Resources(tasks);

        Assert.Equal(23L << 30, resources.SuggestedMemory); // 19 GiB (95th) x 1.2 = 22.8, rounded up
        Assert.Equal(20L << 30, resources.MaxRss);
        var page = HtmlReport.Render(
            new ReportData
            {
                Project = "p",
                Made = Epoch,
                Videos = [],
                Submissions = [],
                Tasks = tasks,
                Resources = resources,
                Plates = [],
                Singles = [],
                Feature = "speed_50th",
            }
        );
        Assert.Contains("<code>--memory 23gb</code>", page);
    }

    [Fact]
    public void Names_in_the_page_are_escaped_so_a_video_name_cannot_inject_markup()
    {
        var data = new ReportData
        {
            Project = "lab <b>x</b>",
            Made = DateTimeOffset.UnixEpoch,
            Videos =
            [
                new VideoRow("20210504", "<script>alert(1)</script>.mp4", VideoOutcome.Failed, "a & b", 1, ["<i>"]),
            ],
            Submissions = [],
            Tasks = [],
            Resources = new ResourceSummary([], null, null, null),
            Plates = [],
            Singles = [],
            Feature = "speed_50th",
        };

        var html = HtmlReport.Render(data);

        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;.mp4", html);
        Assert.Contains("lab &lt;b&gt;x&lt;/b&gt;", html);
        Assert.DoesNotContain("http", html.Replace("http://www.w3.org/2000/svg", "", StringComparison.Ordinal));
    }
}
