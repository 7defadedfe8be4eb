using System.Globalization;
using System.Net;
using System.Text;
using Tierpsy.Krypton.Text;

namespace Tierpsy.Krypton.Reports;

/// <summary>
/// Renders the report as one self-contained HTML page: inline CSS and SVG, no script and no network, so it opens
/// from a file or an e-mail attachment. Sections: overview, timeline, resources, plate maps, failures.
/// </summary>
internal static class HtmlReport
{
    public static string Render(ReportData data)
    {
        var html = new StringBuilder();
        html.Append(Head(data));
        if (data.StaleNote is { } stale)
            html.Append(CultureInfo.InvariantCulture, $"<p class=\"stale\" id=\"stale\">{E(stale)}</p>\n");
        html.Append(Overview(data));
        html.Append(Timeline(data));
        html.Append(Resources(data));
        html.Append(Plates(data));
        html.Append(Failures(data));
        html.Append("</body>\n</html>\n");
        return html.ToString();
    }

    private static string E(string text) => WebUtility.HtmlEncode(text);

    private static string N(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    private static string Head(ReportData data) =>
        $$"""
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <title>Tierpsy run report: {{E(data.Project)}}</title>
            <style>
            body { font: 14px/1.4 system-ui, sans-serif; margin: 2em; color: #222; max-width: 1200px; }
            h1 { font-size: 1.6em; margin-bottom: 0; } h2 { margin-top: 2em; border-bottom: 1px solid #ccc; }
            table { border-collapse: collapse; margin: .5em 0; } th, td { padding: 2px 8px; text-align: left; }
            th { background: #f2f2f2; } td.num { text-align: right; }
            .finished { color: #1a7f37; } .failed { color: #cf222e; } .cancelled { color: #9a6700; }
            .open, .notrun { color: #57606a; } .invalid { color: #8250df; }
            .bar.finished { fill: #2da44e; } .bar.failed { fill: #cf222e; } .bar.cancelled { fill: #d4a72c; }
            .bar.open { fill: #54aeff; } svg text { font: 11px system-ui, sans-serif; fill: #333; }
            table.plate td.well { width: 26px; height: 26px; border: 1px solid #fff; font-size: 9px;
              text-align: center; }
            table.plate td.well.empty {
              background: repeating-linear-gradient(45deg, #eee, #eee 3px, #ccc 3px, #ccc 6px); }
            table.plate th { background: none; font-size: 10px; text-align: center; }
            .plates { display: flex; flex-wrap: wrap; gap: 2em; } .muted { color: #57606a; }
            .stale { background: #fff8c5; padding: .5em; }
            pre { background: #f6f8fa; padding: .5em; overflow-x: auto; font-size: 12px; }
            </style>
            </head>
            <body>
            <h1>Tierpsy run report: {{E(data.Project)}}</h1>
            <p class="muted">Made {{data.Made.ToLocalTime():yyyy-MM-dd HH:mm}} from the project's state, task logs and
            joined summaries. A snapshot: run <code>./build.sh Report</code> again for a newer one.</p>

            """;

    private static readonly VideoOutcome[] Outcomes = Enum.GetValues<VideoOutcome>();

    private static string Css(VideoOutcome outcome) => outcome.ToString().ToLowerInvariant();

    private static string Overview(ReportData data)
    {
        var s = new StringBuilder("<h2 id=\"overview\">Run overview</h2>\n");
        var totals = string.Join(
            ", ",
            Outcomes
                .Select(o => (o, n: data.Videos.Count(v => v.Outcome == o)))
                .Where(x => x.n > 0)
                .Select(x => $"<span class=\"{Css(x.o)}\">{x.n} {Words(x.o)}</span>")
        );
        s.Append(CultureInfo.InvariantCulture, $"<p>{data.Videos.Count} videos: {totals}.");
        if (data.StagedBytes is { } staged)
            s.Append(CultureInfo.InvariantCulture, $" Staged from this computer: {SizeText.Format(staged)}.");
        if (data.RetrievedBytes is { } retrieved)
            s.Append(CultureInfo.InvariantCulture, $" Retrieved here: {SizeText.Format(retrieved)}.");
        s.Append("</p>\n<table id=\"days\"><tr><th>Day</th>");
        foreach (var o in Outcomes)
            s.Append(CultureInfo.InvariantCulture, $"<th>{Words(o)}</th>");
        s.Append("</tr>\n");
        foreach (var day in data.Videos.GroupBy(v => v.Day).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            s.Append(CultureInfo.InvariantCulture, $"<tr><td>{E(day.Key.Length == 0 ? "(no day)" : day.Key)}</td>");
            foreach (var o in Outcomes)
                s.Append(
                    CultureInfo.InvariantCulture,
                    $"<td class=\"num {Css(o)}\">{day.Count(v => v.Outcome == o)}</td>"
                );
            s.Append("</tr>\n");
        }
        s.Append("</table>\n<table id=\"submissions\"><tr><th>Submission</th><th>Kind</th><th>Attempt</th>")
            .Append("<th>Submitted</th><th>Job ids</th><th>Tasks</th><th>Walltime</th><th>Memory</th></tr>\n");
        foreach (var sub in data.Submissions)
            s.Append(
                    CultureInfo.InvariantCulture,
                    $"<tr><td>{E(sub.Id)}{(sub.Cancelled ? " <span class=\"cancelled\">(cancelled)</span>" : "")}</td>"
                )
                .Append(CultureInfo.InvariantCulture, $"<td>{E(sub.Kind)}</td><td class=\"num\">{sub.Attempt}</td>")
                .Append(CultureInfo.InvariantCulture, $"<td>{sub.SubmittedAt.ToLocalTime():yyyy-MM-dd HH:mm}</td>")
                .Append(CultureInfo.InvariantCulture, $"<td>{E(string.Join(", ", sub.JobIds))}</td>")
                .Append(CultureInfo.InvariantCulture, $"<td class=\"num\">{sub.Tasks}</td>")
                .Append(
                    CultureInfo.InvariantCulture,
                    $"<td>{(sub.Walltime is { } w ? DurationText.Format(w) : "")}</td>"
                )
                .Append(CultureInfo.InvariantCulture, $"<td>{E(sub.Memory ?? "")}</td></tr>\n");
        return s.Append("</table>\n").ToString();
    }

    private static string Words(VideoOutcome outcome) =>
        outcome switch
        {
            VideoOutcome.Open => "queued or running",
            VideoOutcome.NotRun => "not yet run",
            _ => outcome.ToString().ToLowerInvariant(),
        };

    private const int TimelineWidth = 900;
    private const int Label = 190;
    private const int RowHeight = 14;

    private static string Timeline(ReportData data)
    {
        var s = new StringBuilder("<h2 id=\"timeline\">Timeline</h2>\n");
        var tasks = data.Tasks.Where(t => t.Start is not null).ToList();
        if (tasks.Count == 0)
            return s.Append("<p class=\"muted\">No task has started yet.</p>\n").ToString();
        var from = tasks.Min(t => t.Start!.Value);
        var to = tasks.Max(t => t.End ?? data.Made);
        var span = Math.Max(1, (to - from).TotalSeconds);
        var groups = tasks.GroupBy(t => (t.Submission, t.Attempt)).ToList();
        var height = (tasks.Count + groups.Count) * RowHeight + 24;
        s.Append(
                CultureInfo.InvariantCulture,
                $"<p class=\"muted\">{DurationText.Clock(to - from)} from the first start to the last end.</p>\n"
            )
            .Append(
                CultureInfo.InvariantCulture,
                $"<svg id=\"timeline-chart\" width=\"{Label + TimelineWidth + 10}\" height=\"{height}\" "
            )
            .Append("xmlns=\"http://www.w3.org/2000/svg\">\n");
        var y = 0;
        foreach (var group in groups)
        {
            y += RowHeight;
            s.Append(
                    CultureInfo.InvariantCulture,
                    $"<text x=\"0\" y=\"{y - 3}\" font-weight=\"bold\">submission {E(group.Key.Submission)}, attempt "
                )
                .Append(CultureInfo.InvariantCulture, $"{group.Key.Attempt}</text>\n");
            foreach (var task in group.OrderBy(t => t.Task))
            {
                y += RowHeight;
                var x = Label + (task.Start!.Value - from).TotalSeconds / span * TimelineWidth;
                var w = Math.Max(2, ((task.End ?? data.Made) - task.Start.Value).TotalSeconds / span * TimelineWidth);
                var outcome =
                    task.End is null ? "open"
                    : task.ExitCode == 0 ? "finished"
                    : "failed";
                var stopped = outcome == "failed" ? $" in {task.Checkpoint ?? "setup"}" : "";
                var tip =
                    $"task {task.Task} {task.Video}: {outcome}{stopped}"
                    + (task.Elapsed is { } e ? $", {DurationText.Clock(e)}" : "");
                s.Append(CultureInfo.InvariantCulture, $"<text x=\"8\" y=\"{y - 3}\">{E(Short(task.Video))}</text>")
                    .Append(
                        CultureInfo.InvariantCulture,
                        $"<rect class=\"bar {outcome}\" data-task=\"{task.Task}\" x=\"{N(x)}\" "
                            + $"y=\"{y - RowHeight + 2}\" "
                    )
                    .Append(
                        CultureInfo.InvariantCulture,
                        $"width=\"{N(w)}\" height=\"{RowHeight - 4}\"><title>{E(tip)}</title></rect>"
                    );
                if (outcome == "failed")
                    s.Append(
                        CultureInfo.InvariantCulture,
                        $"<text x=\"{N(x + w + 3)}\" y=\"{y - 3}\" "
                            + $"class=\"failed\">{E(task.Checkpoint ?? "setup")}</text>"
                    );
                s.Append('\n');
            }
        }
        return s.Append("</svg>\n").ToString();
    }

    private static string Short(string video) => video.Length <= 30 ? video : "…" + video[^29..];

    private static string Resources(ReportData data)
    {
        var r = data.Resources;
        var s = new StringBuilder("<h2 id=\"resources\">Resources</h2>\n");
        if (r.Used.Count == 0)
            return s.Append("<p class=\"muted\">No task has ended yet.</p>\n").ToString();
        s.Append(
                CultureInfo.InvariantCulture,
                $"<p>{r.Used.Count} tasks ran from {DurationText.Clock(r.Used[0])} to {DurationText.Clock(r.Used[^1])} "
            )
            .Append(CultureInfo.InvariantCulture, $"(median {DurationText.Clock(r.Used[r.Used.Count / 2])})")
            .Append(r.Asked is { } asked ? $" of the {DurationText.Format(asked)} asked" : "")
            .Append('.');
        if (r.Suggested is { } next)
            s.Append(
                    CultureInfo.InvariantCulture,
                    $" Suggested walltime for the next run: <b>{DurationText.Format(next)}</b> (the 95th percentile "
                        + $"plus "
                )
                .Append("20 %).");
        s.Append(
            r.MaxRss is { } rss
                ? $" The most memory a task used: {SizeText.Format(rss)}."
                : " Memory used is not recorded here: SLURM records it where accounting is on, PBS Pro in its job "
                    + "history; Torque and the local runner do not."
        );
        if (r.SuggestedMemory is { } memory)
            s.Append(
                CultureInfo.InvariantCulture,
                $" Suggested memory for the next run: <b>{MemoryText.Format(memory)}</b> (<code>--memory "
                    + $"{MemoryText.Format(memory)}</code>, the 95th percentile plus 20 %)."
            );
        s.Append("</p>\n");
        s.Append(Histogram(r.Used));
        s.Append(TaskTable(data.Tasks));
        return s.ToString();
    }

    /// <summary>Every task's run time and memory against what it asked for, folded away under a summary line.</summary>
    private static string TaskTable(IReadOnlyList<TaskRun> tasks)
    {
        var s = new StringBuilder(
            "<details><summary>Per task</summary>\n<table id=\"task-resources\"><tr><th>Submission</th><th>Task</th>"
                + "<th>Video</th><th>Ran</th><th>Walltime asked</th><th>Memory used</th></tr>\n"
        );
        foreach (var t in tasks.Where(t => t.Start is not null))
            s.Append(CultureInfo.InvariantCulture, $"<tr><td>{E(t.Submission)}</td><td class=\"num\">{t.Task}</td>")
                .Append(CultureInfo.InvariantCulture, $"<td>{E(Short(t.Video))}</td>")
                .Append(
                    CultureInfo.InvariantCulture,
                    $"<td>{(t.Elapsed is { } e ? DurationText.Clock(e) : "running")}</td>"
                )
                .Append(CultureInfo.InvariantCulture, $"<td>{(t.Walltime is { } w ? DurationText.Format(w) : "")}</td>")
                .Append(
                    CultureInfo.InvariantCulture,
                    $"<td>{(t.MaxRssBytes is { } m ? SizeText.Format(m) : "")}</td></tr>\n"
                );
        return s.Append("</table></details>\n").ToString();
    }

    private static string Histogram(IReadOnlyList<TimeSpan> used)
    {
        const int bins = 20;
        const int width = 600;
        const int height = 120;
        var max = Math.Max(1, used[^1].TotalSeconds);
        var counts = new int[bins];
        foreach (var u in used)
            counts[Math.Min(bins - 1, (int)(u.TotalSeconds / max * bins))]++;
        var top = Math.Max(1, counts.Max());
        var s = new StringBuilder(
            $"<svg id=\"runtime-histogram\" width=\"{width}\" height=\"{height + 20}\" "
                + $"xmlns=\"http://www.w3.org/2000/svg\">\n"
        );
        for (var i = 0; i < bins; i++)
        {
            var h = counts[i] * (double)height / top;
            s.Append(
                    CultureInfo.InvariantCulture,
                    $"<rect class=\"bar finished\" x=\"{i * width / bins}\" y=\"{N(height - h)}\" "
                        + $"width=\"{width / bins - 2}\" "
                )
                .Append(CultureInfo.InvariantCulture, $"height=\"{N(h)}\"><title>{counts[i]} tasks</title></rect>\n");
        }
        s.Append(
                CultureInfo.InvariantCulture,
                $"<text x=\"0\" y=\"{height + 14}\">0</text><text x=\"{width - 60}\" y=\"{height + 14}\">"
            )
            .Append(CultureInfo.InvariantCulture, $"{DurationText.Clock(used[^1])}</text>\n");
        return s.Append("</svg>\n").ToString();
    }

    private static string Plates(ReportData data)
    {
        var s = new StringBuilder("<h2 id=\"plates\">Plates</h2>\n");
        if (data.SummaryNote is { } note)
            s.Append(CultureInfo.InvariantCulture, $"<p class=\"muted\">{E(note)}</p>\n");
        if (data.Plates.Count == 0 && data.Singles.Count == 0)
            return s.ToString();
        var values = data
            .Plates.SelectMany(p => p.Wells.Values)
            .Concat(data.Singles.Select(v => v.Value).OfType<WellValue>())
            .Select(v => v.Feature)
            .OfType<double>()
            .ToList();
        var (low, high) = values.Count == 0 ? (0d, 1d) : (values.Min(), values.Max());
        s.Append(
                CultureInfo.InvariantCulture,
                $"<p>Wells coloured by <b>{E(data.Feature)}</b> ({N(low)} dark … {N(high)} bright; the number is "
            )
            .Append(
                "n_skeletons). Hatched: no features (a failed camera leaves its 16 wells so).</p>\n<div "
                    + "class=\"plates\">\n"
            );
        foreach (var plate in data.Plates)
            s.Append(Plate(plate, low, high));
        s.Append("</div>\n");
        if (data.Singles.Count > 0)
            s.Append(Bars(data.Singles, data.Feature, high));
        return s.ToString();
    }

    private static string Plate(PlateMap plate, double low, double high)
    {
        var s = new StringBuilder(
            $"<div><h3>{E(plate.Day)} · {E(plate.Name)}</h3>\n<table class=\"plate\" "
                + $"data-plate=\"{E(plate.Name)}\"><tr><th></th>"
        );
        for (var c = 1; c <= PlateLayout.Columns; c++)
            s.Append(CultureInfo.InvariantCulture, $"<th>{c}</th>");
        s.Append("</tr>\n");
        foreach (var row in PlateLayout.Rows)
        {
            s.Append(CultureInfo.InvariantCulture, $"<tr><th>{row}</th>");
            for (var c = 1; c <= PlateLayout.Columns; c++)
            {
                var well = string.Create(CultureInfo.InvariantCulture, $"{row}{c}");
                if (plate.Wells.TryGetValue(well, out var v))
                    s.Append(
                            CultureInfo.InvariantCulture,
                            $"<td class=\"well\" data-well=\"{well}\" "
                                + $"style=\"background:{Colour(v.Feature, low, high)};"
                                + $"color:{Ink(v.Feature, low, high)}\">"
                        )
                        .Append(
                            CultureInfo.InvariantCulture,
                            $"<span title=\"{well}: n_skeletons {(v.Skeletons is { } k ? N(k) : "–")}, "
                        )
                        .Append(CultureInfo.InvariantCulture, $"feature {(v.Feature is { } f ? N(f) : "–")}\">")
                        .Append(CultureInfo.InvariantCulture, $"{(v.Skeletons is { } n ? N(n) : "")}</span></td>");
                else
                    s.Append(
                        CultureInfo.InvariantCulture,
                        $"<td class=\"well empty\" data-well=\"{well}\" title=\"{well}: no features\"></td>"
                    );
            }
            s.Append("</tr>\n");
        }
        s.Append("</table>\n<p class=\"muted\">Cameras: ");
        s.Append(
            string.Join(
                ", ",
                plate.Cameras.Select(c => $"<span class=\"{Css(c.Outcome)}\">{E(c.Serial)} ({Words(c.Outcome)})</span>")
            )
        );
        return s.Append("</p></div>\n").ToString();
    }

    private static string Bars(IReadOnlyList<VideoBar> singles, string feature, double high)
    {
        const int width = 400;
        var s = new StringBuilder(
            $"<h3>Videos</h3>\n<svg id=\"video-bars\" width=\"{Label + width + 60}\" "
                + $"height=\"{singles.Count * RowHeight + 4}\" "
                + "xmlns=\"http://www.w3.org/2000/svg\">\n"
        );
        for (var i = 0; i < singles.Count; i++)
        {
            var v = singles[i];
            var value = v.Value?.Feature;
            var w = value is { } f && high > 0 ? f / high * width : 0;
            s.Append(
                    CultureInfo.InvariantCulture,
                    $"<text x=\"0\" y=\"{(i + 1) * RowHeight - 3}\">{E(Short(v.Name))}</text>"
                )
                .Append(
                    CultureInfo.InvariantCulture,
                    $"<rect class=\"bar finished\" x=\"{Label}\" y=\"{i * RowHeight + 2}\" width=\"{N(w)}\" "
                        + $"height=\"{RowHeight - 4}\">"
                )
                .Append(
                    CultureInfo.InvariantCulture,
                    $"<title>{E(v.Name)}: {E(feature)} {(value is { } x ? N(x) : "no features")}</title></rect>\n"
                );
        }
        return s.Append("</svg>\n").ToString();
    }

    /// <summary>White on the dark half of the scale, black on the bright half.</summary>
    private static string Ink(double? value, double low, double high) =>
        value is { } v && high > low && (v - low) / (high - low) < 0.5 ? "#fff" : "#000";

    /// <summary>A colour from dark blue (low) through green to yellow (high); grey without a value.</summary>
    private static string Colour(double? value, double low, double high)
    {
        if (value is not { } v)
            return "#bbb";
        var t = high > low ? Math.Clamp((v - low) / (high - low), 0, 1) : 0.5;
        (double R, double G, double B)[] stops =
        [
            (68, 1, 84),
            (59, 82, 139),
            (33, 145, 140),
            (94, 201, 98),
            (253, 231, 37),
        ];
        var p = t * (stops.Length - 1);
        var i = Math.Min((int)p, stops.Length - 2);
        var f = p - i;
        int Mix(double a, double b) => (int)Math.Round(a + (b - a) * f);
        var (r, g, b) = (
            Mix(stops[i].R, stops[i + 1].R),
            Mix(stops[i].G, stops[i + 1].G),
            Mix(stops[i].B, stops[i + 1].B)
        );
        return string.Create(CultureInfo.InvariantCulture, $"rgb({r},{g},{b})");
    }

    private static string Failures(ReportData data)
    {
        var failed = data.Videos.Where(v => v.Outcome == VideoOutcome.Failed).ToList();
        var s = new StringBuilder("<h2 id=\"failures\">Failures</h2>\n");
        if (failed.Count == 0)
            return s.Append("<p class=\"finished\">No video failed.</p>\n").ToString();
        s.Append(
                CultureInfo.InvariantCulture,
                $"<p>{failed.Count} videos failed. <code>./build.sh Verify</code> names each reason again; "
            )
            .Append(
                "<code>./build.sh Verify --resubmit</code> submits them again (a video killed at the walltime or the "
            )
            .Append("memory limit asks for more).</p>\n");
        foreach (var v in failed)
            s.Append(
                    CultureInfo.InvariantCulture,
                    $"<div class=\"failure\"><h3 class=\"failed\">{E(v.Day)}/{E(v.Name)}</h3><p>{E(v.Detail)} "
                )
                .Append(
                    CultureInfo.InvariantCulture,
                    $"(attempt {v.Attempts})</p>\n<pre>{E(string.Join("\n", v.LogTail))}</pre></div>\n"
                );
        return s.ToString();
    }
}
