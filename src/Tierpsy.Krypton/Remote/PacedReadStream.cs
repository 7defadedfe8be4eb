namespace Tierpsy.Krypton.Remote;

/// <summary>
/// Reads through to another stream for an SFTP upload; each read first waits for room on the session
/// (<see cref="InFlightLimit"/>) and is then counted as on the way. The inner stream stays open.
/// </summary>
internal sealed class PacedReadStream(Stream inner, InFlightLimit.Upload upload) : Stream
{
    public override bool CanRead => true;
    public override bool CanWrite => false;
    public override bool CanSeek => false;
    public override long Length => inner.Length;
    public override long Position
    {
        get => inner.Position;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        upload.BeforeReadAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult();
        var read = inner.Read(buffer);
        upload.Read(read);
        return read;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        await upload.BeforeReadAsync(cancellationToken);
        var read = await inner.ReadAsync(buffer, cancellationToken);
        upload.Read(read);
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush() { }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
