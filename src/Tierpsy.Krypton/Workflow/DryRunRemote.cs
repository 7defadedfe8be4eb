using System.Security.Cryptography;
using Tierpsy.Krypton.Remote;
using Tierpsy.Krypton.Targets;

namespace Tierpsy.Krypton.Workflow;

/// <summary>
/// With <c>--dry-run</c>: every command and file write is printed instead of done; commands "succeed" with no output.
/// </summary>
internal sealed class DryRunRemote(BuildLog log, string description) : IRemote
{
    public string Description => $"{description} (dry run)";

    public Task<CommandResult> RunAsync(
        string command,
        TimeSpan? timeout = null,
        CancellationToken cancellationToken = default
    )
    {
        log.Plain($"[dry-run] would run on {description}:\n  {command}");
        return Task.FromResult(new CommandResult(0, "", ""));
    }

    public Task WriteTextAsync(string path, string content, CancellationToken cancellationToken = default)
    {
        log.Plain($"[dry-run] would write {path}:\n{content.TrimEnd()}\n[dry-run] (end of {Path.GetFileName(path)})");
        return Task.CompletedTask;
    }

    public Task<string> HomeAsync(CancellationToken cancellationToken = default) => Task.FromResult("~");

    public Task UploadAsync(
        string localPath,
        string remotePath,
        long offset,
        Action<long>? progress,
        IncrementalHash? hash = null,
        CancellationToken cancellationToken = default
    )
    {
        log.Plain($"[dry-run] would copy {localPath} to {remotePath}" + (offset > 0 ? $" from byte {offset}" : ""));
        return Task.CompletedTask;
    }

    public Task DownloadAsync(
        string remotePath,
        string localPath,
        long offset,
        Action<long>? progress,
        IncrementalHash? hash = null,
        CancellationToken cancellationToken = default
    )
    {
        log.Plain($"[dry-run] would copy {remotePath} to {localPath}" + (offset > 0 ? $" from byte {offset}" : ""));
        return Task.CompletedTask;
    }

    public Task RenameAsync(string from, string to, CancellationToken cancellationToken = default)
    {
        log.Plain($"[dry-run] would rename {from} to {to}");
        return Task.CompletedTask;
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
