using System.Globalization;

namespace Tierpsy.Krypton.Schedulers;

/// <summary>
/// Finds the task of a PBS or Torque job id among a submission's chunks: <c>1234[5].server</c> is index 5 of array
/// <c>1234[].server</c> (or <c>1234[]</c>); a plain job id is its chunk's only task. Made once per answer: an answer
/// names up to tens of thousands of sub-jobs.
/// </summary>
internal sealed class JobLocator
{
    private readonly Dictionary<string, (int Order, SubmittedChunk Chunk)> _byId = new(StringComparer.Ordinal);

    public JobLocator(IReadOnlyList<SubmittedChunk> chunks)
    {
        for (var i = 0; i < chunks.Count; i++)
            _byId.TryAdd(chunks[i].JobId, (i, chunks[i]));
    }

    /// <summary>The task, or null when the id is none of the chunks' jobs or an index outside its array.</summary>
    public int? Locate(string id) =>
        SubJob(id) is var (digits, index, suffix) ? InArray(digits, index, suffix) : Plain(id);

    private int? InArray(string digits, int index, string suffix)
    {
        var (parent, shortParent) = (Find(digits + "[]" + suffix), Find(digits + "[]"));
        var chunk = (parent, shortParent) switch
        {
            ({ } a, { } b) => a.Order <= b.Order ? a.Chunk : b.Chunk,
            ({ } a, null) => a.Chunk,
            (null, { } b) => b.Chunk,
            _ => null,
        };
        return chunk is not null && index >= 1 && index <= chunk.Chunk.Count ? chunk.Chunk.Offset + index : null;
    }

    private int? Plain(string id) =>
        Find(id) is { } found && !id.Contains("[]", StringComparison.Ordinal) ? found.Chunk.Chunk.FirstTask : null;

    private (int Order, SubmittedChunk Chunk)? Find(string id) => _byId.TryGetValue(id, out var found) ? found : null;

    /// <summary><c>digits[index]suffix</c> cut into its parts; null for any other id.</summary>
    private static (string Digits, int Index, string Suffix)? SubJob(string id)
    {
        var open = id.IndexOf('[', StringComparison.Ordinal);
        var close = open > 0 ? id.IndexOf(']', open) : -1;
        if (close < open + 2 || !IsDigits(id.AsSpan(0, open)) || !IsDigits(id.AsSpan(open + 1, close - open - 1)))
            return null;
        if (id.AsSpan(close + 1).ContainsAny('\n', '\r'))
            return null;
        return int.TryParse(
            id.AsSpan(open + 1, close - open - 1),
            NumberStyles.None,
            CultureInfo.InvariantCulture,
            out var n
        )
            ? (id[..open], n, id[(close + 1)..])
            : null;
    }

    private static bool IsDigits(ReadOnlySpan<char> text) => !text.IsEmpty && !text.ContainsAnyExceptInRange('0', '9');
}
