using System.Security.Cryptography;
using Tierpsy.Krypton.Remote;

namespace Tierpsy.Krypton.Tests.Remote;

public class ObservedStreamTests
{
    private static readonly byte[] Data = RandomNumberGenerator.GetBytes(1_000_003);

    [Fact]
    public async Task Bytes_read_through_it_are_hashed_in_order_whatever_the_chunk_sizes()
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var reported = new List<long>();
        await using var stream = new ObservedStream(new MemoryStream(Data), hash, reported.Add);
        var copy = new MemoryStream();

        stream.ReadExactly(new byte[7]); // sync, odd size
        copy.Write(Data, 0, 7);
        await stream.CopyToAsync(copy, 65_536, TestContext.Current.CancellationToken);

        Assert.Equal(Data, copy.ToArray());
        Assert.Equal(SHA256.HashData(Data), hash.GetHashAndReset());
        // Progress: the running count after each read that returned bytes, ending at the whole length.
        Assert.Equal(7, reported[0]);
        Assert.Equal(Data.Length, reported[^1]);
        Assert.Equal(reported.Order(), reported);
        Assert.Equal(reported.Count, reported.Distinct().Count());
    }

    [Fact]
    public async Task Bytes_written_through_it_are_hashed_and_reach_the_inner_stream()
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var inner = new MemoryStream();
        await using var stream = new ObservedStream(inner, hash, progress: null);

        stream.Write(Data, 0, 100);
        await stream.WriteAsync(Data.AsMemory(100), TestContext.Current.CancellationToken);

        Assert.Equal(Data, inner.ToArray());
        Assert.Equal(SHA256.HashData(Data), hash.GetHashAndReset());
    }

    [Fact]
    public void Without_a_hash_it_only_counts()
    {
        long last = 0;
        using var stream = new ObservedStream(new MemoryStream(), hash: null, progress: n => last = n);

        stream.Write(Data, 0, 10);
        stream.Write(Data, 10, 0);
        stream.Write(Data, 10, 5);

        Assert.Equal(15, last);
    }
}
