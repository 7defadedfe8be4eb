using System.Security.Cryptography;

namespace Tierpsy.Krypton.Transfer;

/// <summary>SHA-256 of local files, as lower-case hex (what <c>sha256sum</c> prints).</summary>
internal static class FileHash
{
    /// <summary>The SHA-256 of a file's content.</summary>
    public static async Task<string> Sha256Async(string path, CancellationToken cancellationToken = default)
    {
        await using var stream = new FileStream(
            path,
            FileMode.Open,
            FileAccess.Read,
            FileShare.Read,
            1 << 20,
            useAsync: true
        );
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken));
    }
}
