using System.Security.Cryptography;
using System.Text;
using Tierpsy.Krypton.Remote;
using Tierpsy.Krypton.TestSupport;
using Tierpsy.Krypton.Text;
using Tierpsy.Krypton.Transfer;

namespace Tierpsy.Krypton.Tests.Transfer;

/// <summary>
/// The listing and hashing commands, run by a real bash on awkward names (this computer as the cluster).
/// </summary>
public class RemoteFilesTests
{
    private static readonly string[] Names =
    [
        "Results/d/plain.hdf5",
        "Results/d/with space.hdf5",
        "Results/d/it's $HOME `x`.hdf5",
        "Results/d/näïve.hdf5",
        "Results/d/-starts-with-dash",
        "Results/d/back\\slash",
        "Results/d/new\nline",
        "Results/d/empty",
    ];

    private static Dictionary<string, string> MakeFiles(string root, int size)
    {
        var expected = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, i) in Names.Select((n, i) => (n, i)))
        {
            var bytes = name.EndsWith("empty", StringComparison.Ordinal)
                ? []
                : Encoding.UTF8.GetBytes(new string((char)('a' + i), size));
            var path = Path.Combine(root, name);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllBytes(path, bytes);
            expected[name] = Convert.ToHexStringLower(SHA256.HashData(bytes));
        }
        return expected;
    }

    [Theory]
    [InlineData(100)] // small files
    [InlineData(3 << 20)] // files of 3 MiB: the same four batches (the odd names take the list file), more to hash
    public async Task Every_file_gets_its_own_sha256_whatever_its_name(int size)
    {
        using var folder = new TempDirectory("krypton remote's $root");
        var expected = MakeFiles(folder.Path, size);
        var remote = new LocalRemote();

        var listed = await RemoteFiles.ListAsync(
            remote,
            folder.Path,
            ["Results"],
            TestContext.Current.CancellationToken
        );
        var hashed = await RemoteFiles.HashAsync(
            remote,
            folder.Path,
            listed,
            hash: null,
            TestContext.Current.CancellationToken
        );

        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), hashed.Keys.Order(StringComparer.Ordinal));
        Assert.All(expected, e => Assert.Equal(e.Value, hashed[e.Key].Sha256));
        Assert.Empty(Directory.GetFiles(folder.Path, ".krypton-hash-*"));

        // The hash command also reports sizes and times exactly as the listing does (the manifest compares them as
        // text).
        var withTimes = await RemoteFiles.HashPathsAsync(
            remote,
            folder.Path,
            expected.Keys,
            size * expected.Count,
            TestContext.Current.CancellationToken
        );
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

        var hashes = await RemoteFiles.HashPathsAsync(
            remote,
            folder.Path,
            expected.Keys,
            bytes: 3000 * 4,
            TestContext.Current.CancellationToken
        );

        Assert.Equal(expected.Count, hashes.Count);
        Assert.All(expected, e => Assert.Equal(e.Value, hashes[e.Key].Sha256));
    }

    [Fact]
    public async Task A_few_files_without_a_newline_or_backslash_in_their_names_are_hashed_by_one_command_line_without_a_list_file()
    {
        using var folder = new TempDirectory("krypton remote's $root");
        var expected = MakeFiles(folder.Path, 1000)
            .Where(e => e.Key.IndexOfAny(['\n', '\\']) < 0)
            .ToDictionary(StringComparer.Ordinal);
        var remote = new TestCluster(new LocalRemote());
        var listed = await RemoteFiles.ListAsync(
            remote,
            folder.Path,
            ["Results"],
            TestContext.Current.CancellationToken
        );
        Assert.True(RemoteFiles.SuitsOneCommandLine(expected.Keys, 1000 * expected.Count));

        // A missing file and a folder are left out, as with the list file.
        var hashed = await RemoteFiles.HashPathsAsync(
            remote,
            folder.Path,
            [.. expected.Keys, "Results/d/gone", "Results/d"],
            1000 * expected.Count,
            TestContext.Current.CancellationToken
        );

        Assert.Equal(0, remote.Writes);
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), hashed.Keys.Order(StringComparer.Ordinal));
        Assert.All(expected, e => Assert.Equal(listed[e.Key] with { Sha256 = e.Value }, hashed[e.Key]));
    }

    [Fact]
    public void Odd_names_many_files_or_much_to_hash_go_to_a_list_file()
    {
        var plain = Enumerable.Range(0, 64).Select(i => $"RawVideos/20210504/it's $HOME {i:00}").ToList();
        Assert.True(RemoteFiles.SuitsOneCommandLine(plain, 256L << 20));
        Assert.False(RemoteFiles.SuitsOneCommandLine([.. plain, "RawVideos/one more"], 1000));
        // four hashing processes at once are quicker
        Assert.False(RemoteFiles.SuitsOneCommandLine(plain, (256L << 20) + 1));
        Assert.False(RemoteFiles.SuitsOneCommandLine(["Results/a", "Results/new\nline"], 1000));
        Assert.False(RemoteFiles.SuitsOneCommandLine(["Results/back\\slash"], 1000));
        Assert.False(RemoteFiles.SuitsOneCommandLine(["-dash first"], 1000));
        Assert.False(RemoteFiles.SuitsOneCommandLine([new string('x', 16_385)], 1000));
    }

    /// <summary>
    /// This computer as the cluster, counting file writes (the hash commands' list files), each command after <paramref
    /// name="prefix"/>.
    /// </summary>
    private sealed class TestCluster(IRemote inner, string prefix = "") : IRemote
    {
        public int Writes { get; private set; }
        public string Description => inner.Description;

        public Task<CommandResult> RunAsync(
            string command,
            TimeSpan? timeout = null,
            CancellationToken cancellationToken = default
        ) => inner.RunAsync(prefix + command, timeout, cancellationToken);

        public Task WriteTextAsync(string path, string content, CancellationToken cancellationToken = default)
        {
            Writes++;
            return inner.WriteTextAsync(path, content, cancellationToken);
        }

        public Task<string> HomeAsync(CancellationToken cancellationToken = default) =>
            inner.HomeAsync(cancellationToken);

        public Task UploadAsync(
            string localPath,
            string remotePath,
            long offset,
            Action<long>? progress,
            IncrementalHash? hash = null,
            CancellationToken cancellationToken = default
        ) => inner.UploadAsync(localPath, remotePath, offset, progress, hash, cancellationToken);

        public Task DownloadAsync(
            string remotePath,
            string localPath,
            long offset,
            Action<long>? progress,
            IncrementalHash? hash = null,
            CancellationToken cancellationToken = default
        ) => inner.DownloadAsync(remotePath, localPath, offset, progress, hash, cancellationToken);

        public Task RenameAsync(string from, string to, CancellationToken cancellationToken = default) =>
            inner.RenameAsync(from, to, cancellationToken);

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)] // a list file of plain names: no shell loop sorts them
    public async Task Where_the_cluster_has_no_openssl_sha256sum_hashes_every_file_whatever_its_name(
        bool direct,
        bool plain
    )
    {
        using var folder = new TempDirectory("krypton remote's $root");
        var expected = MakeFiles(folder.Path, 100);
        // A PATH with every tool the commands use except openssl.
        var bin = Directory.CreateDirectory(Path.Combine(folder.Path, "bin")).FullName;
        foreach (var tool in new[] { "sh", "xargs", "mkdir", "cat", "find", "rm", "tr", "sha256sum" })
            File.CreateSymbolicLink(
                Path.Combine(bin, tool),
                (
                    await new LocalRemote().RunAsync(
                        $"command -v {tool}",
                        cancellationToken: TestContext.Current.CancellationToken
                    )
                ).Output.Trim()
            );
        var cluster = new TestCluster(
            new LocalRemote(),
            $"PATH={ShellQuote.Path(bin)}; command -v openssl && exit 3; "
        );
        // The odd names (newline, backslash) take the list file; without them the few files take one command line.
        if (direct || plain)
            expected = expected.Where(e => e.Key.IndexOfAny(['\n', '\\']) < 0).ToDictionary(StringComparer.Ordinal);
        if (plain)
            expected.Remove("Results/d/-starts-with-dash");

        var hashed = await RemoteFiles.HashPathsAsync(
            cluster,
            folder.Path,
            expected.Keys,
            plain ? 1L << 40 : 100 * expected.Count, // "much to hash" takes the list file
            TestContext.Current.CancellationToken
        );

        Assert.Equal(direct ? 0 : 1, cluster.Writes);
        Assert.Equal(
            expected.OrderBy(e => e.Key, StringComparer.Ordinal),
            hashed.Select(h => KeyValuePair.Create(h.Key, h.Value.Sha256!)).OrderBy(e => e.Key, StringComparer.Ordinal)
        );
    }

    [Fact]
    public async Task Only_files_whose_size_and_time_are_still_as_listed_are_deleted_whatever_their_name()
    {
        using var folder = new TempDirectory("krypton remote's $root");
        MakeFiles(folder.Path, 100);
        var remote = new LocalRemote();
        var listed = await RemoteFiles.ListAsync(
            remote,
            folder.Path,
            ["Results"],
            TestContext.Current.CancellationToken
        );
        // After the listing: one file written again (longer), one rewritten with the same size later, one deleted.
        File.AppendAllText(Path.Combine(folder.Path, "Results/d/with space.hdf5"), "more");
        File.SetLastWriteTimeUtc(Path.Combine(folder.Path, "Results/d/näïve.hdf5"), DateTime.UtcNow.AddSeconds(5));
        File.Delete(Path.Combine(folder.Path, "Results/d/plain.hdf5"));
        var changed = new[] { "Results/d/näïve.hdf5", "Results/d/plain.hdf5", "Results/d/with space.hdf5" };

        var deletion = await RemoteFiles.DeleteUnchangedAsync(
            remote,
            folder.Path,
            listed.Values.ToList(),
            TimeSpan.FromMinutes(1),
            TestContext.Current.CancellationToken
        );

        Assert.True(deletion.Result.ExitCode == 0, deletion.Result.All);
        Assert.Equal(changed, deletion.Changed.Order(StringComparer.Ordinal));
        Assert.Equal(
            changed[0..1].Concat(changed[2..]),
            Directory
                .GetFiles(Path.Combine(folder.Path, "Results/d"))
                .Select(f => Path.GetRelativePath(folder.Path, f))
                .Order(StringComparer.Ordinal)
        );
        Assert.Empty(Directory.GetFiles(folder.Path, ".krypton-delete-*"));
    }

    [Fact]
    public void Both_record_forms_are_read_and_anything_else_is_ignored()
    {
        var hash = new string('a', 64);
        var output =
            $"{hash}\tone\0{hash}  two words\0{hash} *three\0{hash} *./four\0{hash}  ./five\0{hash}\t./six\0not a "
            + $"hash\tseven\0{hash}\t\0\0";
        var parsed = RemoteFiles.ParseHashes(output);
        // "./" is the batch's prefix in the tools' form; a tab record's path is taken as it is.
        Assert.Equal(["./six", "five", "four", "one", "three", "two words"], parsed.Keys.Order(StringComparer.Ordinal));
    }
}
