using System.Security.Cryptography;

namespace Tierpsy.Krypton.Remote;

/// <summary>Copies the bytes of a stream, hashing and reporting them on the way.</summary>
internal static class StreamCopy
{
    public const int BufferSize = 256 * 1024;

    /// <summary>
    /// Source to destination; the bytes copied are appended to <paramref name="hash"/> and counted to <paramref
    /// name="progress"/> when given.
    /// </summary>
    public static Task CopyAsync(
        Stream source,
        Stream destination,
        IncrementalHash? hash,
        Action<long>? progress,
        CancellationToken cancellationToken
    ) => new ObservedStream(source, hash, progress).CopyToAsync(destination, BufferSize, cancellationToken);

    /// <summary>
    /// A local file to write from <paramref name="offset"/> on: created or truncated at 0, otherwise cut to
    /// <paramref name="offset"/> bytes (a resumed copy), positioned at its end. Unbuffered: copies write 128-256 KiB
    /// at a time anyway, and a FileStream buffer in between only cost CPU (docs/benchmarks.md, "Design
    /// measurements").
    /// </summary>
    public static FileStream OpenDestination(string path, long offset)
    {
        var file = new FileStream(
            path,
            offset == 0 ? FileMode.Create : FileMode.OpenOrCreate,
            FileAccess.Write,
            FileShare.None,
            bufferSize: 0,
            useAsync: true
        );
        file.SetLength(offset);
        file.Seek(offset, SeekOrigin.Begin);
        return file;
    }

    /// <summary>
    /// File to file, both local; the bytes copied are appended to <paramref name="hash"/> when given.
    /// </summary>
    public static async Task CopyAsync(
        string from,
        string to,
        long offset,
        Action<long>? progress,
        IncrementalHash? hash,
        CancellationToken cancellationToken
    )
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(to))!);
        await using var source = new FileStream(
            from,
            FileMode.Open,
            FileAccess.Read,
            FileShare.Read,
            BufferSize,
            useAsync: true
        );
        await using var destination = OpenDestination(to, offset);
        source.Seek(offset, SeekOrigin.Begin);
        await CopyAsync(source, destination, hash, progress, cancellationToken);
    }
}
