using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Tierpsy.Krypton.Remote;
using Tierpsy.Krypton.Targets;

namespace Tierpsy.Krypton.Schedulers;

/// <summary>
/// PBS Pro / OpenPBS: <c>qsub</c> with <c>#PBS -J 1-N</c> (at least two sub-jobs: a one-task chunk is a plain job),
/// <c>PBS_ARRAY_INDEX</c>, ids <c>1234[].server</c>, status from <c>qstat -f -F json -x -t</c>.
/// </summary>
public sealed partial class PbsProScheduler : IScheduler
{
    /// <inheritdoc />
    public SchedulerKind Kind => SchedulerKind.PbsPro;

    /// <inheritdoc />
    public string? ArrayCapCommand => "qstat -Bf";

    /// <inheritdoc />
    public int? ParseArrayCap(string output) =>
        MaxArraySize().Match(output) is { Success: true } m ? int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : 10000; // PBS Pro's default

    /// <inheritdoc />
    public string RenderScript(ArrayJob job, ArrayChunk chunk)
    {
        var s = new StringBuilder("#!/bin/bash -l\n");
        s.AppendLine($"#PBS -N {JobScript.Name(job.Name)}");
        if (chunk.Count >= 2)
        {
            s.AppendLine($"#PBS -J 1-{chunk.Count}");
            if (job.Throttle is { } throttle) s.AppendLine($"#PBS -W max_run_subjobs={throttle}");
        }
        else
            s.AppendLine("# One task: PBS Pro arrays need at least two sub-jobs, so this is a plain job (PBS_ARRAY_INDEX unset).");
        s.AppendLine($"#PBS -l walltime={DurationText.Format(job.Resources.Walltime)}");
        s.AppendLine($"#PBS -l select=1:ncpus={job.Resources.Cpus}" + (job.Resources.Memory is { Length: > 0 } mem ? $":mem={mem}" : ""));
        if (job.Resources.Queue is { Length: > 0 } queue) s.AppendLine($"#PBS -q {queue}");
        s.AppendLine("#PBS -j oe");
        s.Append(JobScript.Body(job, chunk, "\"${PBS_ARRAY_INDEX:-1}\"", "${PBS_JOBID:-?}"));
        return s.ToString();
    }

    /// <inheritdoc />
    public string SubmitCommand(ArrayJob job, ArrayChunk chunk) => Qsub.SubmitCommand(job, chunk);

    /// <inheritdoc />
    public string ParseSubmitOutput(string output) => Qsub.ParseJobId(output, "1234[].server");

    /// <inheritdoc />
    public string StatusCommand(IReadOnlyList<SubmittedChunk> chunks) =>
        "qstat -f -F json -x -t " + string.Join(" ", chunks.Select(c => ShellQuote.Word(c.JobId)));

    /// <inheritdoc />
    public IReadOnlyList<SchedulerTask> ParseStatus(string output, int exitCode, IReadOnlyList<SubmittedChunk> chunks)
    {
        var seen = new Dictionary<int, SchedulerTask>();
        var json = output.IndexOf('{') is var start and >= 0 ? output[start..] : "";
        if (json.Length > 0)
        {
            using var document = ParseJson(json);
            if (document.RootElement.TryGetProperty("Jobs", out var jobs))
                foreach (var job in jobs.EnumerateObject())
                {
                    if (Locate(job.Name, chunks) is not { } task) continue;
                    var state = job.Value.TryGetProperty("job_state", out var s) ? s.GetString() ?? "" : "";
                    int? exit = job.Value.TryGetProperty("Exit_status", out var e) ? ReadInt(e) : null;
                    seen[task] = new SchedulerTask(task, MapState(state), state, exit);
                }
        }
        else if (exitCode != 0 && !output.Contains("Unknown Job Id", StringComparison.OrdinalIgnoreCase))
            throw new SchedulerException($"qstat failed (exit code {exitCode}): {output.Trim()}");
        return Tasks(chunks).Select(t => seen.GetValueOrDefault(t) ?? new SchedulerTask(t, SchedulerTaskState.NotListed, "not listed")).ToList();
    }

    /// <inheritdoc />
    public string CancelCommand(IReadOnlyList<SubmittedChunk> chunks) => Qsub.CancelCommand(chunks);

    internal static IEnumerable<int> Tasks(IReadOnlyList<SubmittedChunk> chunks) =>
        chunks.SelectMany(c => Enumerable.Range(c.Chunk.FirstTask, c.Chunk.Count));

    /// <summary>The task of a job id: <c>1234[5].server</c> is index 5 of array <c>1234[].server</c>; a plain job is its chunk's only task.</summary>
    internal static int? Locate(string id, IReadOnlyList<SubmittedChunk> chunks)
    {
        if (SubJob().Match(id) is { Success: true } m)
        {
            var parent = $"{m.Groups[1].Value}[]{m.Groups[3].Value}";
            var chunk = chunks.FirstOrDefault(c => c.JobId == parent || c.JobId == $"{m.Groups[1].Value}[]");
            var index = int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
            return chunk is not null && index >= 1 && index <= chunk.Chunk.Count ? chunk.Chunk.Offset + index : null;
        }
        var plain = chunks.FirstOrDefault(c => c.JobId == id && !c.JobId.Contains("[]", StringComparison.Ordinal));
        return plain?.Chunk.FirstTask;
    }

    private static SchedulerTaskState MapState(string state) => state switch
    {
        "R" or "E" or "B" => SchedulerTaskState.Running,
        "X" or "F" => SchedulerTaskState.Ended,
        "Q" or "H" or "W" or "T" or "M" or "S" or "U" => SchedulerTaskState.Queued,
        _ => SchedulerTaskState.NotListed,
    };

    private static int? ReadInt(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Number when value.TryGetInt32(out var n) => n,
        JsonValueKind.String when int.TryParse(value.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) => n,
        _ => null,
    };

    private static JsonDocument ParseJson(string json)
    {
        try { return JsonDocument.Parse(json); }
        catch (JsonException e) { throw new SchedulerException($"qstat -F json printed something that is not JSON ({e.Message}); the status of this round is unknown."); }
    }

    [GeneratedRegex(@"max_array_size\s*=\s*(\d+)")]
    private static partial Regex MaxArraySize();

    [GeneratedRegex(@"^(\d+)\[(\d+)\](.*)$")]
    private static partial Regex SubJob();
}
