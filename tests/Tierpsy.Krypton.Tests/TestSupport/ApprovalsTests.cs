using Tierpsy.Krypton.TestSupport;

namespace Tierpsy.Krypton.Tests.TestSupport;

public class ApprovalsTests
{
    [Fact]
    public void Matching_text_passes_and_leaves_no_received_file()
    {
        using var folder = new TempDirectory();
        var approved = folder.Write("x.approved.txt", "line 1\r\nline 2\n\n");

        Approvals.VerifyFile("line 1\nline 2", approved);

        Assert.False(File.Exists(Path.Combine(folder.Path, "x.received.txt")));
    }

    [Fact]
    public void Different_text_fails_naming_the_first_different_line_and_writes_the_received_file()
    {
        using var folder = new TempDirectory();
        var approved = folder.Write("x.approved.txt", "same\nold\n");

        var failure = Assert.ThrowsAny<Exception>(() => Approvals.VerifyFile("same\nnew\n", approved, approve: false));

        Assert.Contains("at line 2:\n  approved: old\n  received: new", failure.Message);
        Assert.Equal("same\nnew\n", File.ReadAllText(Path.Combine(folder.Path, "x.received.txt")));
        Assert.Equal("same\nold\n", File.ReadAllText(approved));
    }

    [Fact]
    public void A_missing_approved_file_fails_and_says_how_to_approve()
    {
        using var folder = new TempDirectory();

        var failure = Assert.ThrowsAny<Exception>(() =>
            Approvals.VerifyFile("text", Path.Combine(folder.Path, "y.approved.txt"), approve: false)
        );

        Assert.Contains("No approved file", failure.Message);
        Assert.Contains("KRYPTON_APPROVE=1", failure.Message);
    }
}
