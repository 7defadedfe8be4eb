namespace Tierpsy.Krypton.Targets;

/// <summary>Turns the source text of a lambda (from <c>CallerArgumentExpression</c>) into what a user reads.</summary>
internal static class LambdaText
{
    /// <summary><c>() => Host</c> becomes <c>Host</c>; <c>() => this.Count > 0</c> becomes <c>Count > 0</c>.</summary>
    public static string Body(string lambda)
    {
        var text = lambda.Trim();
        var arrow = text.IndexOf("=>", StringComparison.Ordinal);
        if (arrow >= 0 && text[..arrow].Trim() is "()" or "_")
            text = text[(arrow + 2)..].Trim();
        if (text.StartsWith("this.", StringComparison.Ordinal))
            text = text[5..];
        return text;
    }

    /// <summary>The member a requirement names, when its body is a plain member access; otherwise null.</summary>
    public static string? MemberName(string body)
    {
        var text =
            body.StartsWith("((", StringComparison.Ordinal) && body.Contains(").", StringComparison.Ordinal)
                ? body[(body.LastIndexOf(").", StringComparison.Ordinal) + 2)..]
                : body;
        return
            text.Length > 0
            && (char.IsLetter(text[0]) || text[0] == '_')
            && text.All(c => char.IsLetterOrDigit(c) || c == '_')
            ? text
            : null;
    }
}
