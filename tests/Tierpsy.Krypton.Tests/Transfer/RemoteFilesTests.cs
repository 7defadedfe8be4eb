using System.Security.Cryptography;
using System.Text;
using Tierpsy.Krypton.Remote;
using Tierpsy.Krypton.TestSupport;
using Tierpsy.Krypton.Transfer;

namespace Tierpsy.Krypton.Tests.Transfer;

/// <summary>The listing and hashing commands, run by a real bash on awkward names (this computer as the cluster).</summary>
public class RemoteFilesTests
{
    private static readonly string[] Names =
    [
        "Results/d/plain.hdf5", "Results/d/with space.hdf5", "Results/d/it's $HOME `x`.hdf5", "Results/d/näïve.hdf5",
        "Results/d/-starts-with-dash", "Results/d/back\\slash", "Results/d/new\nline", "Results/d/empty",
    ];

    private static Dictionary<string, string> MakeFiles(string root, int size)
    {
        var expected = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, i) in Names.Select((n, i) => (n, i)))
        {
            var bytes = name.EndsWith("empty", StringComparison.Ordinal) ? [] : Encoding.UTF8.GetBytes(new string((char)('a' + i), size));
            var path = Path.Combine(root, name);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllBytes(path, bytes);
            expected[name] = Convert.ToHexStringLower(SHA256.HashData(bytes));
        }
        return expected;
    }

    [Theory]
    [InlineData(100)]          // small files: sha256sum -z in batches
    [InlineData(3 << 20)]      // large files: one openssl per file
    public async Task Every_file_gets_its_own_sha256_whatever_its_name(int size)
    {
        using var folder = new TempDirectory("krypton remote's $root");
        var expected = MakeFiles(folder.Path, size);
        var remote = new LocalRemote();

        var listed = await RemoteFiles.ListAsync(remote, folder.Path, ["Results"], TestContext.Current.CancellationToken);
        var hashed = await RemoteFiles.HashAsync(remote, folder.Path, listed, hash: null, TestContext.Current.CancellationToken);

        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), hashed.Keys.Order(StringComparer.Ordinal));
        Assert.All(expected, e => Assert.Equal(e.Value, hashed[e.Key].Sha256));
        Assert.Empty(Directory.GetFiles(folder.Path, ".krypton-hash-*"));

        // The hash command also reports sizes and times exactly as the listing does (the manifest compares them as text).
        var withTimes = await RemoteFiles.HashPathsAsync(remote, folder.Path, expected.Keys, size * expected.Count, TestContext.Current.CancellationToken);
        Assert.All(listed, f => Assert.Equal(f.Value with { Sha256 = expected[f.Key] }, withTimes[f.Key]));
    }

    [Fact]
    public async Task Thousands_of_small_files_hashed_by_parallel_batches_keep_every_record_whole()
    {
        using var folder = new TempDirectory();
        var expected = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < 3000; i++)
        {
            var name = $"Results/{i % 7}/{new string('x', 80)} {i:00000}.hdf5";
            var bytes = Encoding.UTF8.GetBytes(i.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(folder.Path, name))!);
            File.WriteAllBytes(Path.Combine(folder.Path, name), bytes);
            expected[name] = Convert.ToHexStringLower(SHA256.HashData(bytes));
        }
        var remote = new LocalRemote();

        var hashes = await RemoteFiles.HashPathsAsync(remote, folder.Path, expected.Keys, bytes: 3000 * 4, TestContext.Current.CancellationToken);

        Assert.Equal(expected.Count, hashes.Count);
        Assert.All(expected, e => Assert.Equal(e.Value, hashes[e.Key].Sha256));
    }

    [Fact]
    public void Both_record_forms_are_read_and_anything_else_is_ignored()
    {
        var hash = new string('a', 64);
        var output = $"{hash}\tone\0{hash}  two words\0{hash} *three\0not a hash\tfour\0{hash}\t\0\0";
        var parsed = RemoteFiles.ParseHashes(output);
        Assert.Equal(["one", "three", "two words"], parsed.Keys.Order(StringComparer.Ordinal));
    }
}
