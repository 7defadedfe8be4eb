using System.Text.Json;
using System.Text.Json.Serialization;
using Tierpsy.Krypton.Targets;

namespace Tierpsy.Krypton.Workflow;

/// <summary>
/// What the workflow remembers on this computer, in <c>.krypton/state/</c>: the last listing, every submission
/// (ids, task → video, attempt) and the attempts per video. Files are written whole to a temporary name and then
/// renamed, so a crash never leaves half a file.
/// </summary>
internal sealed class ProjectState(AbsolutePath root)
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>The state folder.</summary>
    public AbsolutePath Folder { get; } = root / ".krypton" / "state";

    /// <summary>Saves the raw listing and the task list that was made from it.</summary>
    public void SaveListing(string output, IEnumerable<string> taskLines)
    {
        Write(Folder / "listing" / "tierpsy_output.txt", output);
        Write(Folder / "listing" / "files2process.txt", string.Join("\n", taskLines));
    }

    /// <summary>The raw output of the last listing that succeeded; null when there is none.</summary>
    public string? LastListingOutput()
    {
        var file = Folder / "listing" / "tierpsy_output.txt";
        return
            File.Exists(file)
            && File.ReadAllText(file) is { } text
            && text.Contains("Analysis Summary", StringComparison.Ordinal)
            ? text
            : null;
    }

    /// <summary>
    /// Records a submission and makes it the current one (the one Monitor and Verify follow) unless
    /// <paramref name="current"/> is false.
    /// </summary>
    public void Save(Submission submission, bool current = true)
    {
        Write(Folder / "submissions" / $"{submission.Id}.json", JsonSerializer.Serialize(submission, Json));
        if (current)
            Write(Folder / "current-submission", submission.Id);
    }

    /// <summary>
    /// Records that the user cancelled <paramref name="submission"/> (the current submission stays as it is).
    /// </summary>
    public void MarkCancelled(Submission submission, DateTimeOffset when) =>
        Write(
            Folder / "submissions" / $"{submission.Id}.json",
            JsonSerializer.Serialize(submission with { CancelledAt = when }, Json)
        );

    /// <summary>The submission with this id, or the current one; null when none was made.</summary>
    public Submission? Load(string? id = null)
    {
        id ??= File.Exists(Folder / "current-submission")
            ? File.ReadAllText(Folder / "current-submission").Trim()
            : null;
        if (id is null)
            return null;
        var file = Folder / "submissions" / $"{id}.json";
        return File.Exists(file)
            ? JsonSerializer.Deserialize<Submission>(File.ReadAllText(file), Json)
            : throw new InvalidOperationException(
                $"There is no submission '{id}' in {Folder / "submissions"}. Known: "
                    + $"{string.Join(", ", All().Select(s => s.Id))}."
            );
    }

    /// <summary>Every recorded submission, oldest first.</summary>
    public IReadOnlyList<Submission> All() =>
        Directory.Exists(Folder / "submissions")
            ? Directory
                .GetFiles(Folder / "submissions", "*.json")
                .Order(StringComparer.Ordinal)
                .Select(f => JsonSerializer.Deserialize<Submission>(File.ReadAllText(f), Json)!)
                .ToList()
            : [];

    /// <summary>Keeps what was read of a submission's tasks (by the Report, and by Retrieve).</summary>
    public void SaveRecord(string submissionId, SubmissionRecord record) =>
        Write(Folder / "task-records" / $"{submissionId}.json", JsonSerializer.Serialize(record, Json));

    /// <summary>What was last read of a submission's tasks; null when nothing was.</summary>
    public SubmissionRecord? LoadRecord(string submissionId)
    {
        var file = Folder / "task-records" / $"{submissionId}.json";
        return File.Exists(file) ? JsonSerializer.Deserialize<SubmissionRecord>(File.ReadAllText(file), Json) : null;
    }

    /// <summary>Adds folders to those ever staged from (absolute paths; each once).</summary>
    public void AddStagedSources(IEnumerable<string> folders)
    {
        var all = StagedSources()
            .Union(folders.Select(f => Path.TrimEndingDirectorySeparator(Path.GetFullPath(f))), StringComparer.Ordinal)
            .Order(StringComparer.Ordinal);
        Write(Folder / "staged-sources.json", JsonSerializer.Serialize(all, Json));
    }

    /// <summary>
    /// Every folder Stage has copied raw videos from (none for projects staged before it was recorded).
    /// </summary>
    public IReadOnlyList<string> StagedSources()
    {
        var file = Folder / "staged-sources.json";
        return File.Exists(file) ? JsonSerializer.Deserialize<List<string>>(File.ReadAllText(file), Json) ?? [] : [];
    }

    /// <summary>
    /// Every submission read once, indexed by video: attempts and latest task per video without re-reading files.
    /// </summary>
    public SubmissionHistory History() => new(All());

    private static void Write(string path, string content)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, content);
        File.Move(temporary, path, overwrite: true);
    }
}

/// <summary>The recorded submissions, indexed by what their tasks worked on (a video, a day).</summary>
internal sealed class SubmissionHistory
{
    private readonly Dictionary<string, int> _attempts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (Submission Submission, int Task)> _latest = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<(Submission Submission, int Task)>> _all = new(StringComparer.Ordinal);

    internal SubmissionHistory(IReadOnlyList<Submission> oldestFirst)
    {
        foreach (var submission in oldestFirst)
            for (var i = 0; i < submission.Videos.Count; i++)
            {
                _attempts[submission.Videos[i]] = _attempts.GetValueOrDefault(submission.Videos[i]) + 1;
                _latest[submission.Videos[i]] = (submission, i + 1);
                if (!_all.TryGetValue(submission.Videos[i], out var tasks))
                    _all[submission.Videos[i]] = tasks = [];
                tasks.Add((submission, i + 1));
            }
    }

    /// <summary>Every task that worked on <paramref name="video"/>, oldest first.</summary>
    public IReadOnlyList<(Submission Submission, int Task)> TasksOf(string video) =>
        _all.TryGetValue(video, out var tasks) ? tasks : [];

    /// <summary>How many submissions a video has been in (started or not).</summary>
    public int Attempts(string video) => _attempts.GetValueOrDefault(video);

    /// <summary>
    /// The latest submission that contains <paramref name="video"/>, with the video's task number; null if none.
    /// </summary>
    public (Submission Submission, int Task)? LatestFor(string video) =>
        _latest.TryGetValue(video, out var latest) ? latest : null;
}
