using Tierpsy.Krypton.Remote;
using Tierpsy.Krypton.TestSupport;
using Tierpsy.Krypton.Text;

namespace Tierpsy.Krypton.Tests.Text;

public class ShellQuoteTests
{
    public static TheoryData<string> Awkward =>
        new()
        {
            "plain",
            "with space",
            "/Volumes/behavgenom$/RawVideos",
            "it's",
            "a\"b",
            "$(rm -rf /)",
            "`date`",
            "tab\there",
            "näïve ünïcode 日本",
            "back\\slash",
            "*.yaml",
            "",
            "semi;colon & amp | pipe",
            "new\nline",
        };

    [Theory]
    [MemberData(nameof(Awkward))]
    public async Task Every_word_survives_a_real_bash(string word)
    {
        var result = await ProcessRunner.RunAsync(
            "bash",
            ["-c", $"printf '%s' {ShellQuote.Word(word)}"],
            Path.GetTempPath(),
            cancellation: TestContext.Current.CancellationToken
        );

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(word, result.Output);
    }

    [Fact]
    public async Task A_home_relative_path_expands_home_and_keeps_the_rest_literal()
    {
        var result = await ProcessRunner.RunAsync(
            "bash",
            ["-c", $"printf '%s' {ShellQuote.Path("~/tierpsy $x/it's")}"],
            Path.GetTempPath(),
            new Dictionary<string, string?> { ["HOME"] = "/home/jdoe" },
            cancellation: TestContext.Current.CancellationToken
        );

        Assert.Equal("/home/jdoe/tierpsy $x/it's", result.Output);
    }

    [Fact]
    public void Safe_words_stay_bare_for_readable_scripts() =>
        Assert.Equal("--json_file /a/b.json '*.yaml'", ShellQuote.Join(["--json_file", "/a/b.json", "*.yaml"]));
}
