using Tierpsy.Krypton.Remote;

namespace Tierpsy.Krypton.Tests.Workflow;

/// <summary>A cluster that answers from a function and records every command and file write.</summary>
internal sealed class FakeRemote(Func<string, CommandResult> answer) : IRemote
{
    public List<string> Commands { get; } = [];
    public Dictionary<string, string> Files { get; } = [];
    public string Description => "fake cluster";

    public Task<CommandResult> RunAsync(
        string command,
        TimeSpan? timeout = null,
        CancellationToken cancellationToken = default
    )
    {
        Commands.Add(command);
        // The project's cluster lock (ClusterLock) is always free here; ClusterLock's own tests hold it.
        if (
            command.StartsWith("L=", StringComparison.Ordinal)
            && command.Contains("/transfer.lock", StringComparison.Ordinal)
        )
            return Task.FromResult(new CommandResult(0, "krypton-lock-acquired\n", ""));
        return Task.FromResult(answer(command));
    }

    public Task WriteTextAsync(string path, string content, CancellationToken cancellationToken = default)
    {
        Files[path] = content;
        return Task.CompletedTask;
    }

    public Task<string> HomeAsync(CancellationToken cancellationToken = default) => Task.FromResult("/home/jdoe");

    public Task UploadAsync(
        string localPath,
        string remotePath,
        long offset,
        Action<long>? progress,
        System.Security.Cryptography.IncrementalHash? hash = null,
        CancellationToken cancellationToken = default
    ) => WriteTextAsync(remotePath, File.ReadAllText(localPath), cancellationToken);

    public Task DownloadAsync(
        string remotePath,
        string localPath,
        long offset,
        Action<long>? progress,
        System.Security.Cryptography.IncrementalHash? hash = null,
        CancellationToken cancellationToken = default
    ) => File.WriteAllTextAsync(localPath, Files[remotePath], cancellationToken);

    public Task RenameAsync(string from, string to, CancellationToken cancellationToken = default)
    {
        Files[to] = Files[from];
        Files.Remove(from);
        return Task.CompletedTask;
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
