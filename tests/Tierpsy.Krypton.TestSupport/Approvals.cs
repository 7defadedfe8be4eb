using System.Runtime.CompilerServices;
using Xunit;

namespace Tierpsy.Krypton.TestSupport;

/// <summary>
/// Plain-text snapshots: <c>Approvals.Verify(text)</c> compares with <c>&lt;TestClass&gt;.&lt;Test&gt;.approved.txt</c>
/// beside the test's source file. On a difference it writes <c>.received.txt</c> beside it and fails with the first
/// differing line. Set <c>KRYPTON_APPROVE=1</c> to accept the received text (then review the diff in git).
/// </summary>
public static class Approvals
{
    /// <summary>Compares <paramref name="actual"/> with the approved file for the calling test.</summary>
    public static void Verify(
        string actual,
        string? name = null,
        [CallerFilePath] string sourceFile = "",
        [CallerMemberName] string test = ""
    )
    {
        var folder = Path.GetDirectoryName(sourceFile)!;
        var stem = Path.Combine(folder, $"{Path.GetFileNameWithoutExtension(sourceFile)}.{name ?? test}");
        VerifyFile(actual, stem + ".approved.txt");
    }

    /// <summary>Compares <paramref name="actual"/> with an approved file at an explicit path.</summary>
    /// <param name="actual">The text to check.</param>
    /// <param name="approvedPath">The approved file.</param>
    /// <param name="approve">Accept the text as approved; default: whether KRYPTON_APPROVE is 1.</param>
    public static void VerifyFile(string actual, string approvedPath, bool? approve = null)
    {
        var received = approvedPath.Replace(".approved.txt", ".received.txt", StringComparison.Ordinal);
        var normalized = Normalize(actual);
        var approved = File.Exists(approvedPath) ? Normalize(File.ReadAllText(approvedPath)) : null;
        if (approved == normalized)
        {
            File.Delete(received);
            return;
        }
        if (approve ?? Environment.GetEnvironmentVariable("KRYPTON_APPROVE") == "1")
        {
            File.WriteAllText(approvedPath, normalized);
            File.Delete(received);
            return;
        }
        File.WriteAllText(received, normalized);
        Assert.Fail(
            approved is null
                ? $"No approved file {approvedPath}. The received text is in {received}; review it and rename it to "
                    + $".approved.txt (or run with KRYPTON_APPROVE=1)."
                : $"The text differs from {Path.GetFileName(approvedPath)} {FirstDifference(approved, normalized)}. "
                    + $"Received: {received}. If the change is intended, run with KRYPTON_APPROVE=1 and review the "
                    + $"diff."
        );
    }

    /// <summary>Line endings become \n and the text ends with exactly one newline.</summary>
    public static string Normalize(string text) =>
        text.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd('\n') + "\n";

    internal static string FirstDifference(string approved, string received)
    {
        var a = approved.Split('\n');
        var r = received.Split('\n');
        for (var i = 0; i < Math.Max(a.Length, r.Length); i++)
        {
            var left = i < a.Length ? a[i] : "<end of file>";
            var right = i < r.Length ? r[i] : "<end of file>";
            if (left != right)
                return $"at line {i + 1}:\n  approved: {left}\n  received: {right}";
        }
        return "(no line differs)";
    }
}
