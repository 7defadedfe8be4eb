namespace Tierpsy.Krypton.Transfer;

/// <summary>Cuts a list into consecutive batches of at most some bytes (a larger item is a batch alone).</summary>
internal static class SizeBatches
{
    /// <summary>The items in order, in batches whose sizes add up to at most <paramref name="limit"/>.</summary>
    public static IEnumerable<List<T>> Of<T>(IEnumerable<T> items, Func<T, long> size, long limit)
    {
        var (batch, bytes) = (new List<T>(), 0L);
        foreach (var item in items)
        {
            var length = size(item);
            if (batch.Count > 0 && bytes + length > limit)
            {
                yield return batch;
                (batch, bytes) = ([], 0);
            }
            batch.Add(item);
            bytes += length;
        }
        if (batch.Count > 0)
            yield return batch;
    }
}
