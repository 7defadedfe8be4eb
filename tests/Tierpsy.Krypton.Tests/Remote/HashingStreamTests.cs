using System.Security.Cryptography;
using Tierpsy.Krypton.Remote;

namespace Tierpsy.Krypton.Tests.Remote;

public class HashingStreamTests
{
    private static readonly byte[] Data = RandomNumberGenerator.GetBytes(1_000_003);

    [Fact]
    public async Task Bytes_read_through_it_are_hashed_in_order_whatever_the_chunk_sizes()
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        await using var stream = new HashingStream(new MemoryStream(Data), hash);
        var copy = new MemoryStream();

        stream.ReadExactly(new byte[7]);            // sync, odd size
        copy.Write(Data, 0, 7);
        await stream.CopyToAsync(copy, 65_536, TestContext.Current.CancellationToken);

        Assert.Equal(Data, copy.ToArray());
        Assert.Equal(SHA256.HashData(Data), hash.GetHashAndReset());
    }

    [Fact]
    public async Task Bytes_written_through_it_are_hashed_and_reach_the_inner_stream()
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var inner = new MemoryStream();
        await using var stream = new HashingStream(inner, hash);

        stream.Write(Data, 0, 100);
        await stream.WriteAsync(Data.AsMemory(100), TestContext.Current.CancellationToken);

        Assert.Equal(Data, inner.ToArray());
        Assert.Equal(SHA256.HashData(Data), hash.GetHashAndReset());
    }
}
