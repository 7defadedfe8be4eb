using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Tierpsy.Krypton.Text;

namespace Tierpsy.Krypton.Remote;

/// <summary>This computer as the "cluster": commands run with bash, files are local files.</summary>
internal sealed class LocalRemote : IRemote
{
    private readonly string _home = Environment.GetEnvironmentVariable("HOME") is { Length: > 0 } home
        ? home
        : Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);

    /// <inheritdoc />
    public string Description => "this computer";

    /// <inheritdoc />
    public async Task<CommandResult> RunAsync(
        string command,
        TimeSpan? timeout = null,
        CancellationToken cancellationToken = default
    )
    {
        var start = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            WorkingDirectory = _home,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(command);
        using var process = Process.Start(start) ?? throw new RemoteException("Could not start bash on this computer.");
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (timeout is { } t)
            limit.CancelAfter(t);
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            if (cancellationToken.IsCancellationRequested)
                throw;
            throw new RemoteException($"The command did not finish within {timeout}: {Shorten(command)}");
        }
        return new CommandResult(process.ExitCode, await output, await error);
    }

    /// <inheritdoc />
    public async Task WriteTextAsync(string path, string content, CancellationToken cancellationToken = default)
    {
        var full = RemotePath.Expand(path, _home);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        await File.WriteAllTextAsync(full, content, new UTF8Encoding(false), cancellationToken);
    }

    /// <inheritdoc />
    public Task<string> HomeAsync(CancellationToken cancellationToken = default) => Task.FromResult(_home);

    /// <inheritdoc />
    public Task UploadAsync(
        string localPath,
        string remotePath,
        long offset,
        Action<long>? progress,
        IncrementalHash? hash = null,
        CancellationToken cancellationToken = default
    ) =>
        StreamCopy.CopyAsync(
            localPath,
            RemotePath.Expand(remotePath, _home),
            offset,
            progress,
            hash,
            cancellationToken
        );

    /// <inheritdoc />
    public Task RenameAsync(string from, string to, CancellationToken cancellationToken = default)
    {
        File.Move(RemotePath.Expand(from, _home), RemotePath.Expand(to, _home), overwrite: true);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task DownloadAsync(
        string remotePath,
        string localPath,
        long offset,
        Action<long>? progress,
        IncrementalHash? hash = null,
        CancellationToken cancellationToken = default
    ) =>
        StreamCopy.CopyAsync(
            RemotePath.Expand(remotePath, _home),
            localPath,
            offset,
            progress,
            hash,
            cancellationToken
        );

    /// <inheritdoc />
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    internal static string Shorten(string command) => command.Length > 120 ? command[..117] + "..." : command;
}
