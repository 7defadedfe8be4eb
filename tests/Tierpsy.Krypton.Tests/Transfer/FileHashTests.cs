using System.Security.Cryptography;
using Tierpsy.Krypton.TestSupport;
using Tierpsy.Krypton.Transfer;

namespace Tierpsy.Krypton.Tests.Transfer;

/// <summary>The hashes a partial copy is checked against before a copy resumes after it.</summary>
public class FileHashTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData((1 << 20) - 1)] // the prefix ends inside the first read
    [InlineData(1 << 20)] // ... at its end
    [InlineData((1 << 20) + 5)] // ... inside the second read
    [InlineData(3_000_000)] // the whole file
    public async Task The_prefix_hash_is_that_of_the_files_first_bytes_and_the_whole_hash_that_of_all(int prefix)
    {
        using var folder = new TempDirectory();
        var bytes = RandomNumberGenerator.GetBytes(3_000_000);
        var path = Path.Combine(folder.Path, "video.mp4");
        await File.WriteAllBytesAsync(path, bytes, TestContext.Current.CancellationToken);

        var (whole, first) = await FileHash.Sha256WithPrefixAsync(path, prefix, TestContext.Current.CancellationToken);

        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), whole);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes.AsSpan(0, prefix))), first);
    }

    [Fact]
    public async Task A_file_shorter_than_the_prefix_has_no_prefix_hash()
    {
        using var folder = new TempDirectory();
        var path = Path.Combine(folder.Path, "short.mp4");
        await File.WriteAllBytesAsync(path, new byte[10], TestContext.Current.CancellationToken);

        var (_, first) = await FileHash.Sha256WithPrefixAsync(path, 11, TestContext.Current.CancellationToken);

        Assert.Equal("", first);
    }
}
