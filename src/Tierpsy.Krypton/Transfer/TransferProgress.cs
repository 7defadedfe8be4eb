using System.Diagnostics;
using System.Globalization;
using Tierpsy.Krypton.Targets;

namespace Tierpsy.Krypton.Transfer;

/// <summary>Counts files and bytes of a transfer and prints a progress line every few seconds: files, bytes, rate, ETA.</summary>
internal sealed class TransferProgress(BuildLog log, string verb, int files, long bytes)
{
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
        }
    }

    /// <summary>The final line.</summary>
    public void Finish()
    {
        lock (_gate) Print();
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
