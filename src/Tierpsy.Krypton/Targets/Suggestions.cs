namespace Tierpsy.Krypton.Targets;

/// <summary>"Did you mean" for names a user mistyped.</summary>
internal static class Suggestions
{
    /// <summary>
    /// The closest candidate within a small edit distance (ignoring case, dashes and underscores), or null.
    /// </summary>
    public static string? Closest(string typed, IEnumerable<string> candidates)
    {
        var key = ParameterNames.Normalize(typed);
        var best = candidates
            .Select(c => (Name: c, Distance: Distance(key, ParameterNames.Normalize(c))))
            .OrderBy(x => x.Distance)
            .FirstOrDefault();
        return best.Name is not null && best.Distance <= Math.Max(2, key.Length / 3) ? best.Name : null;
    }

    /// <summary>" Did you mean X?" or nothing.</summary>
    public static string DidYouMean(string typed, IEnumerable<string> candidates) =>
        Closest(typed, candidates) is { } match ? $" Did you mean {match}?" : "";

    private static int Distance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
                current[j] = Math.Min(
                    Math.Min(current[j - 1] + 1, previous[j] + 1),
                    previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
                );
            previous = current;
        }
        return previous[b.Length];
    }
}
