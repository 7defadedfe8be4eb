using System.Security.Cryptography;
using System.Text;
using Tierpsy.Krypton.Remote;
using Tierpsy.Krypton.Targets;
using Tierpsy.Krypton.TestSupport;
using Tierpsy.Krypton.Transfer;
using Tierpsy.Krypton.Workflow;

namespace Tierpsy.Krypton.Tests.Transfer;

public class DownloaderTests
{
    [Theory]
    [InlineData(4, 2, 1)] // the benchmark machine: one download at a time
    [InlineData(4, 1, 1)]
    [InlineData(4, 4, 2)]
    [InlineData(4, 8, 4)] // a laptop with 8 cores: --transfers as given
    [InlineData(4, 64, 4)]
    [InlineData(1, 64, 1)]
    [InlineData(0, 8, 1)] // never none
    public void Downloads_at_once_are_the_transfers_asked_for_but_at_most_one_per_two_cores(
        int transfers,
        int cores,
        int expected
    ) => Assert.Equal(expected, Downloader.AtOnce(transfers, cores));

    [Fact]
    public async Task One_download_at_a_time_does_not_wait_for_the_cluster_to_hash_everything()
    {
        // This cluster answers the hash command only once every file has been downloaded: a download that waited
        // for the hashes before the next one started would never finish.
        using var folder = new TempDirectory();
        var remote = new HashAfterDownloadsCluster(["Results/a.hdf5", "Results/b.hdf5", "Results/c.hdf5"]);
        var manifest = Manifest.Load(Path.Combine(folder.Path, "retrieve-manifest.json"));
        var log = new BuildTransferLog(new BuildLog(TextWriter.Null, TextWriter.Null, color: false, Verbosity.Quiet));

        var report = await new Downloader(remote, "/r", manifest, log, parallel: 1) { BatchedUpTo = 0 }
            .RunAsync(["Results"], folder.Path, TestContext.Current.CancellationToken)
            .WaitAsync(TimeSpan.FromMinutes(1), TestContext.Current.CancellationToken);

        Assert.Equal(3, report.Downloaded);
        Assert.Empty(report.Failed);
        Assert.All(remote.Contents, f => Assert.Equal(f.Value, File.ReadAllText(Path.Combine(folder.Path, f.Key))));
        Assert.Empty(Directory.GetFiles(folder.Path, "*" + RemoteFiles.PartialSuffix, SearchOption.AllDirectories));
    }

    /// <summary>A cluster of a few files whose hash command waits until all of them were downloaded.</summary>
    private sealed class HashAfterDownloadsCluster(string[] paths) : IRemote
    {
        private readonly TaskCompletionSource _allDownloaded = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _downloads;

        public Dictionary<string, string> Contents { get; } = paths.ToDictionary(p => p, p => $"content of {p}");
        public string Description => "test cluster";

        public Task<IReadOnlyList<RemoteFileInfo>> ListFilesAsync(
            string root,
            IReadOnlyList<string> folders,
            CancellationToken cancellationToken = default
        ) =>
            Task.FromResult<IReadOnlyList<RemoteFileInfo>>(
                Contents.Select(f => new RemoteFileInfo(f.Key, f.Value.Length, 1700000000)).ToList()
            );

        public async Task<CommandResult> RunAsync(
            string command,
            TimeSpan? timeout = null,
            CancellationToken cancellationToken = default
        )
        {
            await _allDownloaded.Task.WaitAsync(cancellationToken);
            var output = string.Concat(
                Contents.Select(f =>
                    $"{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(f.Value)))}\t{f.Key}\0{f.Value.Length}\t1700000000\t{f.Key}\0"
                )
            );
            return new CommandResult(0, output, "");
        }

        public async Task DownloadAsync(
            string remotePath,
            string localPath,
            long offset,
            Action<long>? progress,
            IncrementalHash? hash = null,
            CancellationToken cancellationToken = default
        )
        {
            var bytes = Encoding.UTF8.GetBytes(Contents[remotePath["/r/".Length..]]);
            Directory.CreateDirectory(Path.GetDirectoryName(localPath)!);
            await File.WriteAllBytesAsync(localPath, bytes, cancellationToken);
            hash?.AppendData(bytes);
            if (Interlocked.Increment(ref _downloads) == Contents.Count)
                _allDownloaded.SetResult();
        }

        public Task WriteTextAsync(string path, string content, CancellationToken cancellationToken = default) =>
            Task.CompletedTask;

        public Task<string> HomeAsync(CancellationToken cancellationToken = default) => Task.FromResult("/home/jdoe");

        public Task UploadAsync(
            string localPath,
            string remotePath,
            long offset,
            Action<long>? progress,
            IncrementalHash? hash = null,
            CancellationToken cancellationToken = default
        ) => throw new NotSupportedException();

        public Task RenameAsync(string from, string to, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
