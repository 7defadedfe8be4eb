namespace Tierpsy.Krypton.Workflow;

/// <summary>
/// One Stage, Retrieve or Clean of a project at a time on this computer: two runs at once would write the same partial
/// copies and manifests (a copy verified and renamed by one run could still be written by the other). An exclusive
/// lock on <c>.krypton/state/transfer.lock</c> (released by the system if the process dies); who holds it is written
/// beside it, for the message.
/// </summary>
internal sealed class TransferLock : IDisposable
{
    private readonly FileStream _lock;
    private readonly string _owner;

    private TransferLock(FileStream @lock, string owner) => (_lock, _owner) = (@lock, owner);

    /// <summary>Takes the lock for <paramref name="target"/>, or says which run holds it.</summary>
    /// <exception cref="InvalidOperationException">Another run of this project holds the lock.</exception>
    public static TransferLock Acquire(string stateFolder, string target)
    {
        Directory.CreateDirectory(stateFolder);
        var file = Path.Combine(stateFolder, "transfer.lock");
        var owner = file + ".owner";
        FileStream stream;
        try
        {
            stream = new FileStream(file, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            var holder = File.Exists(owner) ? File.ReadAllText(owner).Trim() : "a run that has not said what it is";
            throw new InvalidOperationException(
                $"Another Stage, Retrieve or Clean of this project is running: {holder}. Wait for it to end (or stop "
                    + $"it), then run {target} again. Nothing was done."
            );
        }
        File.WriteAllText(
            owner,
            $"{target}, process {Environment.ProcessId}, since {DateTime.Now:yyyy-MM-dd HH:mm:ss}"
        );
        return new TransferLock(stream, owner);
    }

    /// <summary>Releases the lock.</summary>
    public void Dispose()
    {
        File.Delete(_owner);
        _lock.Dispose();
    }
}
