using Renci.SshNet;

namespace Tierpsy.Krypton.Remote;

/// <summary>
/// How many bytes the uploads of one SFTP session may have sent that the cluster has not acknowledged yet: at least
/// <see cref="Floor"/>, otherwise twice what the link delivered in its shortest round trip.
/// </summary>
/// <remarks>
/// OpenSSH's sshd keeps what arrives for the SFTP server in one buffer that it grows 32 KiB at a time, copying it
/// whole into a new allocation each time. A client that keeps the whole 2 MiB channel window on the way makes that
/// buffer grow to about 4 MB through some 120 copies: at the start of every connection sshd spends seconds of CPU on
/// them while almost nothing moves (docs/benchmarks.md; rsync and OpenSSH's own sftp pay it too). Where the link is
/// short and fast, half a megabyte on the way keeps that buffer small and the link full; on a distant link the limit
/// doubles with every measurement (<see cref="RateInterval"/>) while the link delivers all that is sent, up to twice
/// the bandwidth times the round trip, so the channel window, not this, is what limits such a link.
/// </remarks>
internal sealed class InFlightLimit(TimeProvider time)
{
    /// <summary>The least that may be on the way.</summary>
    public const long Floor = 512 * 1024;

    /// <summary>The delivery rate is measured over at least this long (and at least two round trips).</summary>
    internal static readonly TimeSpan RateInterval = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// A read waits at most this long for acknowledgements, then goes ahead: a connection that was lost acknowledges
    /// nothing, and the write after the read then fails as it would have without this limit.
    /// </summary>
    internal static readonly TimeSpan StallTimeout = TimeSpan.FromSeconds(2);

    private readonly TimeProvider _time = time;
    private readonly Lock _gate = new();
    private long _inFlight;
    private long _limit = Floor;
    private TimeSpan _shortestRoundTrip = TimeSpan.MaxValue;
    private long _intervalStart;
    private long _intervalBytes;
    private TaskCompletionSource _acknowledged = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>How many bytes may be on the way now.</summary>
    public long Limit
    {
        get
        {
            lock (_gate)
                return _limit;
        }
    }

    /// <summary>How many bytes are on the way now.</summary>
    public long InFlight
    {
        get
        {
            lock (_gate)
                return _inFlight;
        }
    }

    /// <summary>
    /// The shortest time from a read to the acknowledgement of its write so far; null before the first.
    /// </summary>
    public TimeSpan? ShortestRoundTrip
    {
        get
        {
            lock (_gate)
                return _shortestRoundTrip == TimeSpan.MaxValue ? null : _shortestRoundTrip;
        }
    }

    /// <summary>Tracks one file's upload on this session; dispose it when the upload ends, however it ends.</summary>
    public Upload Start() => new(this);

    /// <summary>
    /// Uploads <paramref name="source"/> to <paramref name="path"/> with SSH.NET's pipelined upload on
    /// <paramref name="sftp"/> (the session this limit belongs to): its reads wait for room, and its progress, which
    /// reports each acknowledged write, makes the room.
    /// </summary>
    public async Task UploadAsync(SftpClient sftp, Stream source, string path, CancellationToken cancellationToken)
    {
        using var upload = Start();
        await sftp.UploadFileAsync(new PacedReadStream(source, upload), path, upload, cancellationToken);
    }

    private async ValueTask WaitAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            Task acknowledged;
            lock (_gate)
            {
                if (_inFlight < _limit)
                    return;
                acknowledged = _acknowledged.Task;
            }
            try
            {
                await acknowledged.WaitAsync(StallTimeout, _time, cancellationToken);
            }
            catch (TimeoutException)
            {
                return;
            }
        }
    }

    private void Sent(long bytes)
    {
        lock (_gate)
            _inFlight += bytes;
    }

    /// <summary>
    /// <paramref name="bytes"/> are no longer on the way; <paramref name="roundTrip"/> when they were acknowledged (not
    /// given up).
    /// </summary>
    private void Acknowledged(long bytes, TimeSpan? roundTrip)
    {
        TaskCompletionSource acknowledged;
        lock (_gate)
        {
            _inFlight -= bytes;
            if (roundTrip is { } sample)
            {
                if (sample < _shortestRoundTrip)
                    _shortestRoundTrip = sample;
                Measure(bytes);
            }
            acknowledged = _acknowledged;
            _acknowledged = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        acknowledged.TrySetResult();
    }

    /// <summary>
    /// Adds acknowledged bytes to the current interval; at its end the limit follows the rate measured over it.
    /// </summary>
    private void Measure(long bytes)
    {
        var now = _time.GetTimestamp();
        if (_intervalStart == 0)
        {
            _intervalStart = now;
            return;
        }
        _intervalBytes += bytes;
        var elapsed = _time.GetElapsedTime(_intervalStart, now);
        if (elapsed < RateInterval || elapsed < 2 * _shortestRoundTrip)
            return;
        var rate = _intervalBytes / elapsed.TotalSeconds;
        _limit = Math.Max(Floor, (long)(2 * rate * _shortestRoundTrip.TotalSeconds));
        (_intervalStart, _intervalBytes) = (now, 0);
    }

    /// <summary>
    /// One file's upload: wait before each read (<see cref="BeforeReadAsync"/>), count what was read (<see
    /// cref="Read"/>), and pass this as SSH.NET's upload progress, which reports each acknowledged write.
    /// </summary>
    internal sealed class Upload(InFlightLimit limit) : IProgress<UploadFileProgressReport>, IDisposable
    {
        private readonly Queue<(long End, long Timestamp)> _reads = new();
        private long _read;
        private long _acknowledged;
        private bool _ended;

        /// <summary>Waits until the session has room for more bytes on the way.</summary>
        public ValueTask BeforeReadAsync(CancellationToken cancellationToken) => limit.WaitAsync(cancellationToken);

        /// <summary><paramref name="bytes"/> were read to be sent (SSH.NET sends each read as one write).</summary>
        public void Read(int bytes)
        {
            if (bytes <= 0)
                return;
            lock (_reads)
            {
                if (_ended)
                    return;
                _read += bytes;
                _reads.Enqueue((_read, limit._time.GetTimestamp()));
            }
            limit.Sent(bytes);
        }

        /// <summary>
        /// SSH.NET's report that the file's first <see cref="UploadFileProgressReport.TotalBytesUploaded"/> bytes were
        /// written.
        /// </summary>
        public void Report(UploadFileProgressReport value) => Acknowledge((long)value.TotalBytesUploaded);

        /// <summary>The file's first <paramref name="written"/> bytes were written on the cluster.</summary>
        public void Acknowledge(long written)
        {
            long bytes;
            TimeSpan? roundTrip = null;
            lock (_reads)
            {
                var total = Math.Min(written, _read);
                bytes = total - _acknowledged;
                if (_ended || bytes <= 0)
                    return;
                _acknowledged = total;
                while (_reads.TryPeek(out var read) && read.End <= total)
                {
                    _reads.Dequeue();
                    roundTrip = limit._time.GetElapsedTime(read.Timestamp);
                }
            }
            limit.Acknowledged(bytes, roundTrip);
        }

        /// <summary>
        /// The upload ended: what it still had on the way no longer counts (a failed upload's writes are never
        /// acknowledged).
        /// </summary>
        public void Dispose()
        {
            long bytes;
            lock (_reads)
            {
                if (_ended)
                    return;
                _ended = true;
                bytes = _read - _acknowledged;
                _reads.Clear();
            }
            if (bytes > 0)
                limit.Acknowledged(bytes, roundTrip: null);
        }
    }
}
