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
    [InlineData(100)]          // small files: batches of up to 1,024
    [InlineData(3 << 20)]      // large files: smaller batches, so four processes share the work
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
    public async Task A_few_files_without_a_newline_or_backslash_in_their_names_are_hashed_by_one_command_line_without_a_list_file()
    {
        using var folder = new TempDirectory("krypton remote's $root");
        var expected = MakeFiles(folder.Path, 1000).Where(e => e.Key.IndexOfAny(['\n', '\\']) < 0).ToDictionary(StringComparer.Ordinal);
        var remote = new WriteCountingRemote(new LocalRemote());
        var listed = await RemoteFiles.ListAsync(remote, folder.Path, ["Results"], TestContext.Current.CancellationToken);
        Assert.True(RemoteFiles.FitsOnACommandLine(expected.Keys));

        // A missing file and a folder are left out, as with the list file.
        var hashed = await RemoteFiles.HashPathsAsync(remote, folder.Path, [.. expected.Keys, "Results/d/gone", "Results/d"], 1000 * expected.Count, TestContext.Current.CancellationToken);

        Assert.Equal(0, remote.Writes);
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), hashed.Keys.Order(StringComparer.Ordinal));
        Assert.All(expected, e => Assert.Equal(listed[e.Key] with { Sha256 = e.Value }, hashed[e.Key]));
    }

    [Fact]
    public async Task The_two_hashing_processes_of_one_command_line_never_split_each_others_records()
    {
        using var folder = new TempDirectory();
        // As many names as fit, each near 100 bytes: the most output the direct command ever has.
        var expected = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; RemoteFiles.FitsOnACommandLine([.. expected.Keys, Name(i)]); i++)
        {
            var bytes = Encoding.UTF8.GetBytes(new string('z', 1000 + i));
            Directory.CreateDirectory(Path.Combine(folder.Path, "RawVideos"));
            File.WriteAllBytes(Path.Combine(folder.Path, Name(i)), bytes);
            expected[Name(i)] = Convert.ToHexStringLower(SHA256.HashData(bytes));
        }
        Assert.True(expected.Count >= 25);

        for (var run = 0; run < 20; run++)
        {
            var hashed = await RemoteFiles.HashPathsAsync(new LocalRemote(), folder.Path, expected.Keys, 1000 * expected.Count, TestContext.Current.CancellationToken);
            Assert.All(expected, e => Assert.Equal(e.Value, hashed[e.Key].Sha256));
        }

        static string Name(int i) => $"RawVideos/{i:00} {new string('n', 20)} {new string('m', 10)}.avi.krypton-partial";
    }

    [Fact]
    public void Names_with_a_newline_or_backslash_many_files_or_long_names_go_to_a_list_file()
    {
        Assert.False(RemoteFiles.FitsOnACommandLine(["Results/a", "Results/new\nline"]));
        Assert.False(RemoteFiles.FitsOnACommandLine(["Results/back\\slash"]));
        // Each line the tools print is the hash, " *./" and the name: 4,000 bytes of them at most.
        Assert.True(RemoteFiles.FitsOnACommandLine(Enumerable.Range(0, 39).Select(i => $"RawVideos/20210504/it's $HOME {i:00}").ToList()));
        Assert.False(RemoteFiles.FitsOnACommandLine(Enumerable.Range(0, 40).Select(i => $"RawVideos/20210504/it's $HOME {i:00}").ToList()));
        Assert.False(RemoteFiles.FitsOnACommandLine([new string('x', 3_931)]));
        Assert.True(RemoteFiles.FitsOnACommandLine([new string('x', 3_930)]));
        Assert.False(RemoteFiles.FitsOnACommandLine([new string('ä', 1_966)])); // 3,932 bytes in UTF-8
    }

    /// <summary>A cluster that counts file writes (the hash commands' list files).</summary>
    private sealed class WriteCountingRemote(IRemote inner) : IRemote
    {
        public int Writes { get; private set; }
        public string Description => inner.Description;
        public Task<CommandResult> RunAsync(string command, TimeSpan? timeout = null, CancellationToken cancellationToken = default) => inner.RunAsync(command, timeout, cancellationToken);
        public Task WriteTextAsync(string path, string content, CancellationToken cancellationToken = default)
        {
            Writes++;
            return inner.WriteTextAsync(path, content, cancellationToken);
        }
        public Task<string> ReadTextAsync(string path, CancellationToken cancellationToken = default) => inner.ReadTextAsync(path, cancellationToken);
        public Task<string> HomeAsync(CancellationToken cancellationToken = default) => inner.HomeAsync(cancellationToken);
        public Task UploadAsync(string localPath, string remotePath, long offset, Action<long>? progress, IncrementalHash? hash = null, CancellationToken cancellationToken = default) =>
            inner.UploadAsync(localPath, remotePath, offset, progress, hash, cancellationToken);
        public Task DownloadAsync(string remotePath, string localPath, long offset, Action<long>? progress, IncrementalHash? hash = null, CancellationToken cancellationToken = default) =>
            inner.DownloadAsync(remotePath, localPath, offset, progress, hash, cancellationToken);
        public Task RenameAsync(string from, string to, CancellationToken cancellationToken = default) => inner.RenameAsync(from, to, cancellationToken);
        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Where_the_cluster_has_no_openssl_sha256sum_hashes_every_file_whatever_its_name(bool direct)
    {
        using var folder = new TempDirectory("krypton remote's $root");
        var expected = MakeFiles(folder.Path, 100);
        // A PATH with every tool the command uses except openssl.
        var bin = Directory.CreateDirectory(Path.Combine(folder.Path, "bin")).FullName;
        foreach (var tool in new[] { "sh", "xargs", "mkdir", "cat", "find", "rm", "tr", "sha256sum" })
            File.CreateSymbolicLink(Path.Combine(bin, tool), (await new LocalRemote().RunAsync($"command -v {tool}", cancellationToken: TestContext.Current.CancellationToken)).Output.Trim());
        var list = Path.Combine(folder.Path, "hash.list");
        await File.WriteAllTextAsync(list, string.Concat(expected.Keys.Select(k => k + "\0")), TestContext.Current.CancellationToken);

        if (direct) expected = expected.Where(e => e.Key.IndexOfAny(['\n', '\\']) < 0).ToDictionary(StringComparer.Ordinal);
        var command = direct ? RemoteFiles.DirectHashCommand(folder.Path, expected.Keys) : RemoteFiles.HashCommand(folder.Path, list, expected.Count, 100 * expected.Count);

        var result = await new LocalRemote().RunAsync($"PATH={ShellQuote.Path(bin)}; command -v openssl && exit 3; " + command, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(expected.OrderBy(e => e.Key, StringComparer.Ordinal), RemoteFiles.ParseHashes(result.Output).OrderBy(e => e.Key, StringComparer.Ordinal));
    }

    [Fact]
    public void Both_record_forms_are_read_and_anything_else_is_ignored()
    {
        var hash = new string('a', 64);
        var output = $"{hash}\tone\0{hash}  two words\0{hash} *three\0{hash} *./four\0{hash}  ./five\0{hash}\t./six\0not a hash\tseven\0{hash}\t\0\0";
        var parsed = RemoteFiles.ParseHashes(output);
        // "./" is the batch's prefix in the tools' form; a tab record's path is taken as it is.
        Assert.Equal(["./six", "five", "four", "one", "three", "two words"], parsed.Keys.Order(StringComparer.Ordinal));
    }
}
