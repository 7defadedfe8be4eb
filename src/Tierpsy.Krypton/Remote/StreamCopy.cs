namespace Tierpsy.Krypton.Remote;

/// <summary>Copies the bytes of a stream from an offset on, reporting progress.</summary>
internal static class StreamCopy
{
    public const int BufferSize = 256 * 1024;

    public static async Task CopyAsync(Stream source, Stream destination, Action<long>? progress, CancellationToken cancellationToken)
    {
        var buffer = new byte[BufferSize];
        long done = 0;
        int read;
        while ((read = await source.ReadAsync(buffer, cancellationToken)) > 0)
        {
            await destination.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            done += read;
            progress?.Invoke(done);
        }
    }

    /// <summary>
    /// A local file to write from <paramref name="offset"/> on: created or truncated at 0, otherwise cut to
    /// <paramref name="offset"/> bytes (a resumed copy), positioned at its end.
    /// </summary>
    public static FileStream OpenDestination(string path, long offset)
    {
        var file = new FileStream(path, offset == 0 ? FileMode.Create : FileMode.OpenOrCreate, FileAccess.Write, FileShare.None, BufferSize, useAsync: true);
        file.SetLength(offset);
        file.Seek(offset, SeekOrigin.Begin);
        return file;
    }

    /// <summary>File to file, both local; the bytes copied are appended to <paramref name="hash"/> when given.</summary>
    public static async Task CopyAsync(string from, string to, long offset, Action<long>? progress, System.Security.Cryptography.IncrementalHash? hash, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(to))!);
        await using var source = new FileStream(from, FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize, useAsync: true);
        await using var destination = OpenDestination(to, offset);
        source.Seek(offset, SeekOrigin.Begin);
        await CopyAsync(hash is null ? source : new ObservedStream(source, hash, progress: null), destination, progress, cancellationToken);
    }
}
