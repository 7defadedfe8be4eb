namespace Tierpsy.Krypton.Schedulers;

/// <summary>What one array task may use.</summary>
/// <param name="Walltime">Walltime of one task.</param>
/// <param name="Cpus">CPUs of one task.</param>
/// <param name="Memory">Memory as PBS writes it (<c>16gb</c>); null requests none.</param>
/// <param name="Queue">Queue or partition; null for the site's default.</param>
internal sealed record Resources(TimeSpan Walltime, int Cpus = 1, string? Memory = null, string? Queue = null);

/// <summary>
/// One submission: a task list on the cluster with one line per task (1-based), run as one or more arrays.
/// Every path is a cluster path; <c>~/</c> means the cluster user's home.
/// </summary>
internal sealed record ArrayJob
{
    /// <summary>Job name shown by the scheduler.</summary>
    public required string Name { get; init; }

    /// <summary>Folder of this submission: scripts, task list and logs live below it.</summary>
    public required string Directory { get; init; }

    /// <summary>Number of lines in the task list.</summary>
    public required int TaskCount { get; init; }

    /// <summary>Walltime, CPUs, memory and queue.</summary>
    public required Resources Resources { get; init; }

    /// <summary>Shell lines that make Tierpsy available on a compute node.</summary>
    public IReadOnlyList<string> Setup { get; init; } = [];

    /// <summary>Mail, account and the site's own directives.</summary>
    public SiteOptions Site { get; init; } = new();

    /// <summary>At most this many tasks run at once (the <c>%</c> throttle); null for no limit.</summary>
    public int? Throttle { get; init; }

    /// <summary>
    /// Job ids (arrays included) this job waits for: it starts once each has ended, however it ended (afterany).
    /// </summary>
    public IReadOnlyList<string> AfterAny { get; init; } = [];

    /// <summary>The task list: one shell command per line.</summary>
    public string TaskListPath => $"{Directory}/tasks.txt";

    /// <summary>The folder of the per-task logs, <c>&lt;task&gt;.log</c>.</summary>
    public string LogDirectory => $"{Directory}/logs";

    /// <summary>The log of one task (1-based).</summary>
    public string LogPath(int task) => $"{LogDirectory}/{task}.log";

    /// <summary>The job script of one chunk.</summary>
    public string ScriptPath(ArrayChunk chunk) => $"{Directory}/job.{chunk.Number}.sh";

    /// <summary>
    /// Splits the tasks into arrays of at most <paramref name="maxTasksPerArray"/> tasks (the site's cap); each
    /// array's index runs from 1 and adds its chunk's offset to find its line.
    /// </summary>
    public IReadOnlyList<ArrayChunk> Chunks(int? maxTasksPerArray)
    {
        if (TaskCount < 1)
            throw new ArgumentOutOfRangeException(
                nameof(TaskCount),
                TaskCount,
                "An array job needs at least one task."
            );
        var size = maxTasksPerArray is > 0 ? maxTasksPerArray.Value : TaskCount;
        var chunks = new List<ArrayChunk>();
        for (var offset = 0; offset < TaskCount; offset += size)
            chunks.Add(new ArrayChunk(chunks.Count + 1, offset, Math.Min(size, TaskCount - offset)));
        return chunks;
    }
}

/// <summary>
/// One array of a submission: tasks <c>Offset+1 … Offset+Count</c>, submitted with indices <c>1 … Count</c>.
/// </summary>
internal sealed record ArrayChunk(int Number, int Offset, int Count)
{
    /// <summary>The first task (1-based) of this chunk.</summary>
    public int FirstTask => Offset + 1;

    /// <summary>The last task of this chunk.</summary>
    public int LastTask => Offset + Count;
}
