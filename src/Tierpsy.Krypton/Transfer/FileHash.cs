using System.Buffers;
using System.Security.Cryptography;

namespace Tierpsy.Krypton.Transfer;

/// <summary>SHA-256 of local files, as lower-case hex (what <c>sha256sum</c> prints).</summary>
internal static class FileHash
{
    private const int BufferSize = 1 << 20;

    /// <summary>The SHA-256 of a file's content.</summary>
    public static async Task<string> Sha256Async(string path, CancellationToken cancellationToken = default)
    {
        await using var stream = new FileStream(
            path,
            FileMode.Open,
            FileAccess.Read,
            FileShare.Read,
            BufferSize,
            useAsync: true
        );
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken));
    }

    /// <summary>
    /// A SHA-256 that holds a file's content and can take more: the bytes a copy that resumes after them appends.
    /// </summary>
    public static async Task<IncrementalHash> ContinuableAsync(string path, CancellationToken cancellationToken)
    {
        var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, true);
            int got;
            while ((got = await stream.ReadAsync(buffer.AsMemory(0, BufferSize), cancellationToken)) > 0)
                hash.AppendData(buffer, 0, got);
            return hash;
        }
        catch
        {
            hash.Dispose();
            throw;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// The SHA-256 of a file's content and of its first <paramref name="prefixLength"/> bytes, in one read: what a
    /// partial copy of that length must hash to before a copy resumes after it.
    /// </summary>
    public static async Task<(string Whole, string Prefix)> Sha256WithPrefixAsync(
        string path,
        long prefixLength,
        CancellationToken cancellationToken = default
    )
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, true);
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            var read = 0L;
            var prefix = prefixLength == 0 ? hash.GetCurrentHash() : null;
            int got;
            while ((got = await stream.ReadAsync(buffer.AsMemory(0, BufferSize), cancellationToken)) > 0)
            {
                var before = (int)Math.Clamp(prefixLength - read, 0, got);
                hash.AppendData(buffer, 0, before);
                if (prefix is null && read + before == prefixLength)
                    prefix = hash.GetCurrentHash();
                hash.AppendData(buffer, before, got - before);
                read += got;
            }
            // A file shorter than the prefix has no such prefix: nothing a partial copy can match.
            var whole = Convert.ToHexStringLower(hash.GetHashAndReset());
            return (whole, prefix is null ? "" : Convert.ToHexStringLower(prefix));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
