using System.Text;
using Microsoft.CodeAnalysis.CSharp;

namespace Tierpsy.Krypton.Generators.Generation;

/// <summary>C# names for file names and JSON keys.</summary>
internal static class Naming
{
    /// <summary>
    /// <c>loopbio_rig_96WP_splitFOV_NN_20220310</c> → <c>LoopbioRig96WpSplitFovNn20220310</c>: words split at
    /// separators, case changes and digits, each capitalised once.
    /// </summary>
    public static string Pascal(string text)
    {
        var sb = new StringBuilder();
        foreach (var word in Words(text))
            sb.Append(char.ToUpperInvariant(word[0])).Append(word.Substring(1).ToLowerInvariant());
        var name = sb.ToString();
        if (name.Length == 0 || char.IsDigit(name[0]))
            name = "_" + name;
        return SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None ? "@" + name : name;
    }

    private static IEnumerable<string> Words(string text)
    {
        var word = new StringBuilder();
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (!char.IsLetterOrDigit(c) || c > 127)
            {
                if (word.Length > 0)
                    yield return word.ToString();
                word.Clear();
                continue;
            }
            if (word.Length > 0)
            {
                var previous = word[word.Length - 1];
                var split =
                    char.IsDigit(c) != char.IsDigit(previous)
                    || (char.IsUpper(c) && char.IsLower(previous))
                    || (char.IsUpper(c) && char.IsUpper(previous) && i + 1 < text.Length && char.IsLower(text[i + 1]));
                if (split)
                {
                    yield return word.ToString();
                    word.Clear();
                }
            }
            word.Append(c);
        }
        if (word.Length > 0)
            yield return word.ToString();
    }
}
