using System.Diagnostics;
using System.Globalization;
using Spectre.Console;
using Tierpsy.Krypton.Targets;

namespace Tierpsy.Krypton.Transfer;

/// <summary>
/// Counts files and bytes of a transfer. On a terminal it shows a Spectre.Console progress display (files, bytes,
/// rate, ETA); otherwise (logs, CI, tests) it prints a progress line every few seconds with the same facts.
/// </summary>
internal sealed class TransferProgress(BuildLog log, string verb, int files, long bytes)
{
    private ProgressTask? _display;
    private bool _displayed;

    /// <summary>Runs the transfer under the progress display when the output is a terminal.</summary>
    public async Task RunAsync(Func<Task> transfer)
    {
        if (!log.UseColor || Console.IsOutputRedirected || files == 0)
        {
            await transfer();
            return;
        }
        await AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new DownloadedColumn(), new TransferSpeedColumn(), new RemainingTimeColumn())
            .StartAsync(async context =>
            {
                _display = context.AddTask(Description(), maxValue: Math.Max(1, bytes));
                _displayed = true;
                await transfer();
                _display.Value = _display.MaxValue;
            });
        _display = null;
    }

    private string Description() => $"{verb} {_doneFiles}/{files} files";

    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly object _gate = new();
    private readonly Dictionary<string, long> _inFlight = [];
    private long _doneBytes;
    private int _doneFiles;
    private TimeSpan _lastPrint;

    /// <summary>The bytes of one file sent so far (cumulative for that file).</summary>
    public void Report(string file, long sent)
    {
        lock (_gate)
        {
            _inFlight[file] = sent;
            if (_display is not null)
            {
                _display.Value = _doneBytes + _inFlight.Values.Sum();
                return;
            }
            if (_clock.Elapsed - _lastPrint < TimeSpan.FromSeconds(2)) return;
            _lastPrint = _clock.Elapsed;
            Print();
        }
    }

    /// <summary>One file is complete.</summary>
    public void Completed(string file, long size)
    {
        lock (_gate)
        {
            _inFlight.Remove(file);
            _doneBytes += size;
            _doneFiles++;
            if (_display is not null) _display.Description = Description();
        }
    }

    /// <summary>The final line.</summary>
    public void Finish()
    {
        lock (_gate)
            if (!_displayed) Print();
    }

    private void Print()
    {
        var sent = _doneBytes + _inFlight.Values.Sum();
        var seconds = Math.Max(_clock.Elapsed.TotalSeconds, 0.001);
        var rate = sent / seconds;
        var eta = rate > 0 ? TimeSpan.FromSeconds((bytes - sent) / rate) : TimeSpan.Zero;
        log.Info(string.Create(CultureInfo.InvariantCulture,
            $"{verb}: {_doneFiles}/{files} files, {Size(sent)} of {Size(bytes)}, {Size((long)rate)}/s, ETA {SummaryTable.Format(eta)}"));
    }

    /// <summary>Bytes for people: 1.5 GiB, 300 MiB, 12 KiB.</summary>
    public static string Size(long bytes) => bytes switch
    {
        >= 1L << 30 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 30):0.0} GiB"),
        >= 1L << 20 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 20):0.0} MiB"),
        >= 1L << 10 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.0} KiB"),
        _ => $"{bytes} B",
    };
}
