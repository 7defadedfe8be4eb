using System.Globalization;
using Tierpsy.Krypton.TestSupport;
using Tierpsy.Krypton.Tierpsy;

namespace Tierpsy.Krypton.Tests.Tierpsy;

public class SummaryJoinTests
{
    /// <summary>
    /// The two fixture days laid out as Tierpsy writes them:
    /// Results/&lt;day&gt;/{features,filenames}_summary_tierpsy_plate_&lt;time&gt;.csv.
    /// </summary>
    private static List<DaySummary> FixtureDays(TempDirectory folder)
    {
        var days = new List<DaySummary>();
        foreach (
            var (day, stamp, features) in new[]
            {
                (
                    "20210504",
                    "20261125_175344",
                    "20210504__features_summary_tierpsy_plate_20261125_175344__TRIMMED_first24cols.csv"
                ),
                ("20210506", "20261125_175503", "20210506__features_summary_tierpsy_plate_20261125_175503.csv"),
            }
        )
        {
            var f = folder.Write(
                $"Results/{day}/features_summary_tierpsy_plate_{stamp}.csv",
                Fixtures.Read($"generated/summarizer/{features}")
            );
            var n = folder.Write(
                $"Results/{day}/filenames_summary_tierpsy_plate_{stamp}.csv",
                Fixtures.Read($"generated/summarizer/{day}__filenames_summary_tierpsy_plate_{stamp}.csv")
            );
            days.Add(new DaySummary(day, f, n));
        }
        return days;
    }

    private static List<Dictionary<string, string>> Table(string file)
    {
        var lines = File.ReadLines(file).Where(l => !l.StartsWith('#')).ToList();
        var header = lines[0].Split(',');
        return lines
            .Skip(1)
            .Select(l => header.Zip(l.Split(','), (h, v) => (h, v)).ToDictionary(x => x.h, x => x.v))
            .ToList();
    }

    [Fact]
    public void The_two_fixture_days_join_as_tierpsy_tools_joins_them()
    {
        using var folder = new TempDirectory();
        var days = FixtureDays(folder);

        var report = SummaryJoin.Join(
            days,
            Path.Combine(folder.Path, "features.csv"),
            Path.Combine(folder.Path, "filenames.csv"),
            []
        );

        Assert.Equal(
            Fixtures.Read("generated/tierpsytools_compile/filenames_summaries_compiled.csv").TrimEnd(),
            File.ReadAllText(Path.Combine(folder.Path, "filenames.csv")).TrimEnd()
        );
        var expected = Table(
            Path.Combine(
                Fixtures.TierpsyFolder,
                "generated/tierpsytools_compile/features_summaries_compiled__TRIMMED_first24cols.csv"
            )
        );
        var actual = Table(Path.Combine(folder.Path, "features.csv"));
        Assert.Equal(expected.Count, actual.Count);
        Assert.Equal(17, actual.Count); // 16 wells of the first day, one video of the second
        for (var row = 0; row < expected.Count; row++)
            foreach (var (column, value) in expected[row])
            {
                var ours = actual[row][column];
                if (
                    double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var a)
                    && double.TryParse(ours, NumberStyles.Float, CultureInfo.InvariantCulture, out var b)
                )
                    Assert.True(
                        Math.Abs(a - b) <= 1e-12 * Math.Max(1, Math.Abs(a)),
                        $"row {row} {column}: {value} vs {ours}"
                    );
                else
                    Assert.Equal(value, ours);
            }
        Assert.Equal(["20210504", "20210506"], report.Days);
        Assert.Equal((2, 17), (report.Files, report.Rows));
        Assert.Equal(
            "# FILENAMES SUMMARY FILE,/mnt/storage/home/jdoe/tierpsy_sample/Results/20210504/"
                + "filenames_summary_tierpsy_plate_20261125_175344.csv",
            File.ReadLines(Path.Combine(folder.Path, "features.csv")).First()
        );
    }

    [Fact]
    public void Extra_header_lines_and_local_paths_are_written()
    {
        using var folder = new TempDirectory();

        SummaryJoin.Join(
            FixtureDays(folder),
            Path.Combine(folder.Path, "features.csv"),
            Path.Combine(folder.Path, "filenames.csv"),
            ["JOINED DAYS,20210504,20210506"],
            path =>
                path.Replace(
                    "/mnt/storage/home/jdoe/tierpsy_sample",
                    "/Volumes/behavgenom$/sample",
                    StringComparison.Ordinal
                )
        );

        var filenames = File.ReadAllLines(Path.Combine(folder.Path, "filenames.csv"));
        Assert.Contains("# JOINED DAYS,20210504,20210506", filenames);
        Assert.Equal("1,/Volumes/behavgenom$/sample/Results/20210506/synth_worms_featuresN.hdf5,True", filenames[^1]);
    }

    [Fact]
    public void A_day_with_an_extra_column_and_a_header_only_day_are_aligned_by_name_and_reported()
    {
        using var folder = new TempDirectory();
        DaySummary Day(string day, string features, string filenames) =>
            new(
                day,
                folder.Write($"{day}/features_summary_tierpsy_plate_1.csv", features),
                folder.Write($"{day}/filenames_summary_tierpsy_plate_1.csv", filenames)
            );
        var days = new[]
        {
            Day(
                "d1",
                "# c\nfile_id,n_skeletons,speed\n0,10.0,1.5\n1,11.0,2.5\n",
                "file_id,filename,is_good\n0,/r/a,True\n1,/r/b,True\n"
            ),
            Day("d2", "file_id,n_skeletons\n", "file_id,filename,is_good\n0,/r/c,False\n"),
            Day("d3", "file_id,length,n_skeletons\n0,900,12.0\n", "file_id,filename,is_good\n0,/r/d,True\n"),
        };

        var report = SummaryJoin.Join(days, Path.Combine(folder.Path, "f.csv"), Path.Combine(folder.Path, "n.csv"), []);

        Assert.Equal(
            ["# c", "file_id,n_skeletons,speed,length", "0,10.0,1.5,", "1,11.0,2.5,", "3,12.0,,900"],
            File.ReadAllLines(Path.Combine(folder.Path, "f.csv"))
        );
        Assert.Equal(
            ["file_id,filename,is_good", "0,/r/a,True", "1,/r/b,True", "2,/r/c,False", "3,/r/d,True"],
            File.ReadAllLines(Path.Combine(folder.Path, "n.csv"))
        );
        Assert.Equal(["d2"], report.EmptyDays);
    }

    /// <summary>
    /// A day in which no trajectory passed the filters, as Tierpsy 1.5.3a writes it: a features file of its comment
    /// line only (no header row) and a filenames file whose rows say is_good False.
    /// </summary>
    private static DaySummary EmptyDay(TempDirectory folder, string day, params string[] videos)
    {
        var names = $"/r/Results/{day}/filenames_summary_tierpsy_plate_20261204_101010.csv";
        var features = folder.Write(
            $"{day}/features_summary_tierpsy_plate_20261204_101010.csv",
            $"# FILENAMES SUMMARY FILE,{names}\n"
        );
        var rows = videos.Select((v, i) => $"{i},/r/Results/{day}/{v}_featuresN.hdf5,False\n");
        var filenames = folder.Write(
            $"{day}/filenames_summary_tierpsy_plate_20261204_101010.csv",
            "# FEATURE SUMMARIES FILE,x\n# TIERPSY_VERSION,1.5.3a\nfile_id,filename,is_good\n" + string.Concat(rows)
        );
        return new DaySummary(day, features, filenames);
    }

    [Fact]
    public void A_day_whose_features_file_has_only_comments_is_joined_as_an_empty_day()
    {
        using var folder = new TempDirectory();
        var fixtures = FixtureDays(folder);
        var days = new[] { fixtures[0], EmptyDay(folder, "20210505", "a", "b"), fixtures[1] };

        var report = SummaryJoin.Join(days, Path.Combine(folder.Path, "f.csv"), Path.Combine(folder.Path, "n.csv"), []);

        Assert.Equal(["20210505"], report.EmptyDays);
        Assert.Equal((4, 17), (report.Files, report.Rows));
        var filenames = Table(Path.Combine(folder.Path, "n.csv"));
        Assert.Equal(["0", "1", "2", "3"], filenames.Select(r => r["file_id"]));
        Assert.Equal("/r/Results/20210505/b_featuresN.hdf5", filenames[2]["filename"]);
        Assert.Equal("3", Table(Path.Combine(folder.Path, "f.csv"))[^1]["file_id"]); // the third day's video
    }

    [Fact]
    public void An_empty_first_day_gives_its_header_comments_and_the_next_day_its_columns()
    {
        using var folder = new TempDirectory();
        var days = new[] { EmptyDay(folder, "20210503", "a"), FixtureDays(folder)[1] };

        var report = SummaryJoin.Join(days, Path.Combine(folder.Path, "f.csv"), Path.Combine(folder.Path, "n.csv"), []);

        var lines = File.ReadAllLines(Path.Combine(folder.Path, "f.csv"));
        Assert.Equal(
            "# FILENAMES SUMMARY FILE,/r/Results/20210503/filenames_summary_tierpsy_plate_20261204_101010.csv",
            lines[0]
        );
        Assert.StartsWith("file_id,n_skeletons,", lines[1]);
        Assert.StartsWith("1,", lines[2]);
        Assert.Equal(["20210503"], report.EmptyDays);
    }

    [Fact]
    public void When_no_day_has_features_the_filenames_are_joined_and_the_features_file_has_no_header_row()
    {
        using var folder = new TempDirectory();
        var days = new[] { EmptyDay(folder, "20210503", "a"), EmptyDay(folder, "20210504", "b", "c") };

        var report = SummaryJoin.Join(days, Path.Combine(folder.Path, "f.csv"), Path.Combine(folder.Path, "n.csv"), []);

        Assert.All(File.ReadAllLines(Path.Combine(folder.Path, "f.csv")), l => Assert.StartsWith("#", l));
        Assert.Equal(["0", "1", "2"], Table(Path.Combine(folder.Path, "n.csv")).Select(r => r["file_id"]));
        Assert.Equal(["20210503", "20210504"], report.EmptyDays);
    }

    [Fact]
    public void A_malformed_row_is_an_error_naming_file_and_line_and_nothing_is_written()
    {
        using var folder = new TempDirectory();
        var features = folder.Write(
            "d1/features_summary_tierpsy_plate_1.csv",
            "file_id,n_skeletons,speed\n0,10.0,1.5\n1,11.0\n"
        );
        var filenames = folder.Write(
            "d1/filenames_summary_tierpsy_plate_1.csv",
            "file_id,filename,is_good\n0,/r/a,True\n1,/r/b,True\n"
        );

        var error = Assert.Throws<InvalidDataException>(() =>
            SummaryJoin.Join(
                [new DaySummary("d1", features, filenames)],
                Path.Combine(folder.Path, "f.csv"),
                Path.Combine(folder.Path, "n.csv"),
                []
            )
        );

        Assert.Equal(
            $"{features} line 3: expected 3 fields as in the header, found 2. The file is damaged (or a path holds a "
                + $"comma); nothing was joined.",
            error.Message
        );
        Assert.Empty(Directory.GetFiles(folder.Path, "*.csv*", SearchOption.TopDirectoryOnly));
    }

    [Fact]
    public void An_existing_output_is_never_overwritten()
    {
        using var folder = new TempDirectory();
        var output = folder.Write("features.csv", "keep me");

        Assert.Throws<IOException>(() =>
            SummaryJoin.Join(FixtureDays(folder), output, Path.Combine(folder.Path, "n.csv"), [])
        );
        Assert.Equal("keep me", File.ReadAllText(output));
    }
}
