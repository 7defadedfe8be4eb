using Tierpsy.Krypton.Targets;

namespace Tierpsy.Krypton.Tests.Targets;

public class BuildLogTests
{
    [Fact]
    public void Verbosity_decides_what_is_shown_and_errors_always_are()
    {
        var (quietOut, quietErr) = (new StringWriter(), new StringWriter());
        var quiet = new BuildLog(quietOut, quietErr, color: false, Verbosity.Quiet);
        quiet.Info("info");
        quiet.Verbose("detail");
        quiet.Error("broken");

        var verboseOut = new StringWriter();
        var verbose = new BuildLog(verboseOut, TextWriter.Null, color: false, Verbosity.Verbose);
        verbose.Info("info");
        verbose.Verbose("detail");

        Assert.Equal("", quietOut.ToString());
        Assert.Equal("error: broken" + Environment.NewLine, quietErr.ToString());
        Assert.Equal($"info{Environment.NewLine}detail{Environment.NewLine}", verboseOut.ToString());
    }

    [Fact]
    public void Colour_is_ansi_only_when_enabled()
    {
        var plain = new StringWriter();
        var coloured = new StringWriter();
        new BuildLog(TextWriter.Null, plain, color: false, Verbosity.Normal).Warning("careful");
        new BuildLog(TextWriter.Null, coloured, color: true, Verbosity.Normal).Warning("careful");

        Assert.DoesNotContain("\u001b[", plain.ToString());
        Assert.Equal("\u001b[33mwarning: careful\u001b[0m" + Environment.NewLine, coloured.ToString());
    }

    [Fact]
    public void Verbosity_option_reaches_the_build()
    {
        var run = BuildHarness.Run<LoggingBuild>("Talk", "--verbosity", "quiet");
        var bad = BuildHarness.Run<LoggingBuild>("Talk", "--verbosity", "loud");

        Assert.DoesNotContain("chatty", run.Output);
        Assert.Matches(@"Talk\s+Succeeded", run.Output);
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("--verbosity expects quiet, normal or verbose, but got 'loud'.", bad.Error);
    }

    private class LoggingBuild : BuildBase
    {
        Target Talk => _ => _.Executes(() => Log.Info("chatty"));
    }
}
