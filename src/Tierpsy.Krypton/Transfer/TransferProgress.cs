using System.Diagnostics;
using System.Globalization;
using Spectre.Console;
using Tierpsy.Krypton.Text;

namespace Tierpsy.Krypton.Transfer;

/// <summary>
/// Counts files and bytes of a transfer. On a terminal it shows a Spectre.Console progress display (files, bytes,
/// rate, ETA); otherwise (logs, CI, tests) it prints a progress line every few seconds with the same facts. Bytes are
/// those this run moves: what a resumed copy already had, or a file already there, is taken off the total, so the
/// rate and ETA are of the copying itself and the count never goes backwards.
/// </summary>
internal sealed class TransferProgress(ITransferLog log, string verb, int files, long bytes)
{
    private long _bytes = bytes;

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
        await AnsiConsole
            .Progress()
            .Columns(
                new TaskDescriptionColumn(),
                new ProgressBarColumn(),
                new DownloadedColumn(),
                new TransferSpeedColumn(),
                new RemainingTimeColumn()
            )
            .StartAsync(async context =>
            {
                lock (_gate)
                    _display = context.AddTask(Description(), maxValue: Math.Max(1, _bytes));
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

    /// <summary>
    /// A copy resumes: <paramref name="offset"/> of its bytes are there already and are not moved again.
    /// </summary>
    public void Resumed(long offset) => Untotal(offset, files: 0);

    /// <summary>A file is there already (same SHA-256): one file done, nothing moved.</summary>
    public void Present(long size) => Untotal(size, files: 1);

    private void Untotal(long size, int files)
    {
        lock (_gate)
        {
            _bytes -= size;
            _doneFiles += files;
            if (_display is null)
                return;
            _display.MaxValue = Math.Max(1, _bytes);
            _display.Description = Description();
        }
    }

    /// <summary>The bytes of one file moved so far in this run (cumulative for that file).</summary>
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
            if (_clock.Elapsed - _lastPrint < TimeSpan.FromSeconds(2))
                return;
            _lastPrint = _clock.Elapsed;
            Print();
        }
    }

    /// <summary>One file is complete; <paramref name="moved"/> bytes of it were moved in this run.</summary>
    public void Completed(string file, long moved)
    {
        lock (_gate)
        {
            _inFlight.Remove(file);
            _doneBytes += moved;
            _doneFiles++;
            if (_display is not null)
                _display.Description = Description();
        }
    }

    /// <summary>
    /// Files that moved together under one name (a batch reported with <see cref="Report"/>) are complete.
    /// </summary>
    public void Completed(string batch, IReadOnlyCollection<long> sizes)
    {
        lock (_gate)
        {
            _inFlight.Remove(batch);
            _doneBytes += sizes.Sum();
            _doneFiles += sizes.Count;
            if (_display is not null)
                _display.Description = Description();
        }
    }

    /// <summary>The final line.</summary>
    public void Finish()
    {
        lock (_gate)
            if (!_displayed)
                Print();
    }

    private void Print() => log.Info(Line(_clock.Elapsed));

    /// <summary>
    /// The progress line after <paramref name="elapsed"/>: files done, bytes moved of those to move, rate, ETA.
    /// </summary>
    internal string Line(TimeSpan elapsed)
    {
        lock (_gate)
        {
            var sent = _doneBytes + _inFlight.Values.Sum();
            var rate = sent / Math.Max(elapsed.TotalSeconds, 0.001);
            var eta = rate > 0 ? TimeSpan.FromSeconds(Math.Max(0, _bytes - sent) / rate) : TimeSpan.Zero;
            return string.Create(
                CultureInfo.InvariantCulture,
                $"{verb}: {_doneFiles}/{files} files, {SizeText.Format(sent)} of {SizeText.Format(_bytes)}, "
                    + $"{SizeText.Format((long)rate)}/s, ETA "
                    + $"{DurationText.Clock(eta)}"
            );
        }
    }
}
