namespace Tierpsy.Krypton.Remote;

/// <summary>
/// How long a remote command may run before it counts as stuck, by the work it does. A login node shared by a lab
/// answers a small command in seconds; these limits are far above that, so that a busy day never fails a step, and
/// still end a command that hangs (a dead NFS mount, a stuck scheduler).
/// </summary>
internal static class CommandTimeouts
{
    /// <summary>A command that does little: mkdir, df, deleting a file or two, a lookup, starting a shell.</summary>
    public static readonly TimeSpan Small = TimeSpan.FromMinutes(1);

    /// <summary>A scheduler's command or status (submit, cancel, qstat, squeue), or the ends of a few logs.</summary>
    public static readonly TimeSpan Query = TimeSpan.FromMinutes(2);

    /// <summary>Reading every log of a submission, deleting partial copies, Tierpsy listing one probe video.</summary>
    public static readonly TimeSpan Scan = TimeSpan.FromMinutes(5);

    /// <summary>Deleting or moving many files; a command given no limit of its own.</summary>
    public static readonly TimeSpan ManyFiles = TimeSpan.FromMinutes(10);

    /// <summary>Packing, unpacking or hashing one batch of small files, or hashing a partial copy.</summary>
    public static readonly TimeSpan Batch = TimeSpan.FromMinutes(30);

    /// <summary>Listing the project's tree, or hashing the files Clean is about to delete.</summary>
    public static readonly TimeSpan Tree = TimeSpan.FromHours(1);

    /// <summary>Hashing every file of a tree; Tierpsy's listing, which opens every video.</summary>
    public static readonly TimeSpan HashTree = TimeSpan.FromHours(2);
}
