using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Tierpsy.Krypton.TestSupport;

namespace Tierpsy.Krypton.IntegrationTests;

/// <summary>The Report page after a run on the real SLURM, opened in a real headless Chromium.</summary>
public partial class WorkflowScenarioTests
{
    /// <summary>One Hydra plate recording: six cameras of rig Hydra01, 16 wells each.</summary>
    private static readonly string[] HydraPlate =
    [
        .. new[] { "22956818", "22956816", "22956813", "22956805", "22956807", "22956832" }.Select(serial =>
            $"20210504/hydra_plate1_20210504_101010.{serial}"
        ),
    ];

    /// <summary>A second day: one camera of another rig's plate.</summary>
    private const string OtherDay = "20191108/hydra_plate9_20191108_090000.22956809";

    /// <summary>The wells the camera of <paramref name="serial"/> films (Tierpsy's HYDRA_96WP_UPRIGHT.json).</summary>
    private static IReadOnlySet<string> WellsOf(string serial)
    {
        using var hydra = JsonDocument.Parse(
            File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "standin", "HYDRA_96WP_UPRIGHT.json"))
        );
        var channel = hydra.RootElement.GetProperty("MWP_camera2channelrig").GetProperty(serial)[0].GetString()!;
        return hydra
            .RootElement.GetProperty("MWP_channel2well")
            .GetProperty(channel)
            .EnumerateArray()
            .SelectMany(row => row.EnumerateArray().Select(w => w.GetString()!))
            .ToHashSet();
    }

    [Fact]
    public async Task Report_shows_the_run_and_a_plate_with_its_failed_camera_in_a_real_browser()
    {
        TestCluster.Require();
        Chromium.Require();
        using var project = new TempDirectory("krypton-project");
        var remoteRoot = Prepare(project, SlurmParameters(), TestCluster.Jobs);
        foreach (var video in HydraPlate.Append(OtherDay))
            project.Write(Path.Combine(remoteRoot, "RawVideos", video, "metadata.yaml"), "__store: imgstore\n");
        // Camera 22956813 fails in COMPRESS: its 16 wells have no features.
        File.WriteAllText(Path.Combine(remoteRoot, "RawVideos", HydraPlate[2], "FAIL_COMPRESS_ONCE"), "");
        Assert.Equal(0, Run(project.Path, "Submit").ExitCode);
        Assert.Equal(1, Run(project.Path, "Monitor").ExitCode);
        var summarize = Run(project.Path, "Summarize");
        Assert.True(summarize.ExitCode == 0, summarize.All);

        var report = Run(project.Path, "Report");

        Assert.True(report.ExitCode == 0, report.All);
        var page = Path.Combine(project.Path, "Results", "report.html");
        Assert.Contains($"Wrote {page}", report.Output);
        var (dom, log) = await Chromium.DumpDomAsync(page);
        var screenshot = Path.Combine(AppContext.BaseDirectory, "artifacts", "report.png");
        Directory.CreateDirectory(Path.GetDirectoryName(screenshot)!);
        await Chromium.ScreenshotAsync(page, screenshot);
        Assert.True(new FileInfo(screenshot).Length > 10_000, "the screenshot is (nearly) empty");
        Assert.DoesNotMatch("CONSOLE|Uncaught|Refused to load", log);

        var plate = Between(dom, "data-plate=\"hydra_plate1_20210504_101010\"", "</table>");
        var cells = Regex.Matches(plate, "<td class=\"well( empty)?\" data-well=\"([A-H]\\d+)\"").ToList();
        Assert.Equal(96, cells.Count);
        Assert.Equal(
            WellsOf("22956813").Order(),
            cells.Where(c => c.Groups[1].Success).Select(c => c.Groups[2].Value).Order()
        );
        Assert.Contains("22956813 (failed)", Between(dom, "data-plate=\"hydra_plate1_20210504_101010\"", "</div>"));
        var other = Between(dom, "data-plate=\"hydra_plate9_20191108_090000\"", "</table>");
        Assert.Equal(16, Regex.Count(other, "<td class=\"well\" data-well"));

        var timeline = Between(dom, "id=\"timeline-chart\"", "</svg>");
        Assert.Equal(6, Regex.Count(timeline, "<rect class=\"bar finished\""));
        Assert.Single(Regex.Matches(timeline, "<rect class=\"bar failed\""));
        Assert.Contains(">COMPRESS</text>", timeline); // where the failed one stopped
        Assert.Equal(7, Regex.Count(Between(dom, "id=\"task-resources\"", "</table>"), "<tr><td>"));
        var failures = Between(dom, "id=\"failures\"", "</body>");
        Assert.Contains("hydra_plate1_20210504_101010.22956813", failures);
        Assert.Contains("OSError: [Errno 5] Input/output error", failures);
    }

    [Fact]
    public void Report_needs_no_cluster_once_the_results_are_retrieved()
    {
        TestCluster.Require();
        using var project = new TempDirectory("krypton-project");
        var remoteRoot = Prepare(project, SlurmParameters(), TestCluster.Jobs);
        foreach (var video in Videos[..2])
            project.Write(Path.Combine(remoteRoot, "RawVideos", video, "metadata.yaml"), "__store: imgstore\n");
        File.WriteAllText(Path.Combine(remoteRoot, "RawVideos", Videos[1], "FAIL_COMPRESS_ONCE"), "");
        Assert.Equal(0, Run(project.Path, "Submit").ExitCode);
        Assert.Equal(1, Run(project.Path, "Monitor").ExitCode);
        Run(project.Path, "Retrieve");
        using var closed = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        closed.Start();
        var port = ((System.Net.IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop(); // a port nothing listens on: the cluster cannot be reached

        var report = Run(project.Path, "Report", "--port", port.ToString(CultureInfo.InvariantCulture));

        Assert.True(report.ExitCode == 0, report.All);
        Assert.DoesNotContain("could not be reached", report.All);
        var page = File.ReadAllText(Path.Combine(project.Path, "Results", "report.html"));
        var timeline = Between(page, "id=\"timeline-chart\"", "</svg>");
        Assert.Single(Regex.Matches(timeline, "<rect class=\"bar finished\""));
        Assert.Single(Regex.Matches(timeline, "<rect class=\"bar failed\""));
        Assert.Contains("OSError: [Errno 5] Input/output error", Between(page, "id=\"failures\"", "</body>"));
    }

    private static string Between(string text, string start, string end)
    {
        var from = text.IndexOf(start, StringComparison.Ordinal);
        Assert.True(from >= 0, $"'{start}' is not in the page");
        var to = text.IndexOf(end, from, StringComparison.Ordinal);
        return text[from..(to < 0 ? text.Length : to)];
    }
}
