using System.Diagnostics;
using Tierpsy.Krypton.TestSupport;

namespace Tierpsy.Krypton.IntegrationTests;

/// <summary>
/// Debian's headless Chromium (/usr/bin/chromium, installed by .ci/run): it renders a page from a file, and gives the
/// DOM it built, a screenshot and what the page wrote to its console. Started with no network of its own (this
/// machine's network is closed; without these flags Chromium keeps trying Google's hosts).
/// </summary>
internal static class Chromium
{
    public const string Program = "/usr/bin/chromium";

    /// <summary>Skips (or, in CI, fails) the calling test when Chromium is not installed.</summary>
    public static void Require()
    {
        if (File.Exists(Program))
            return;
        if (Environment.GetEnvironmentVariable("KRYPTON_REQUIRE_CLUSTER") == "1")
            Assert.Fail($"Chromium is required (KRYPTON_REQUIRE_CLUSTER=1) but {Program} does not exist.");
        Assert.Skip($"Chromium is not installed ({Program}): apt-get install chromium (.ci/run does).");
    }

    /// <summary>The page's DOM after rendering, and everything Chromium logged (console messages included).</summary>
    public static async Task<(string Dom, string Log)> DumpDomAsync(string page) => await RunAsync(page, "--dump-dom");

    /// <summary>Writes a screenshot of the page, 1400 pixels wide.</summary>
    public static async Task ScreenshotAsync(string page, string png) =>
        await RunAsync(page, $"--screenshot={png}", "--window-size=1400,2400", "--hide-scrollbars");

    private static async Task<(string, string)> RunAsync(string page, params string[] action)
    {
        using var profile = new TempDirectory("krypton-chromium");
        string[] arguments =
        [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--enable-logging=stderr",
            "--v=0",
            $"--user-data-dir={profile.Path}",
            .. action,
            new Uri(page).AbsoluteUri,
        ];
        var result = await ProcessRunner.RunAsync(
            Program,
            arguments,
            Path.GetDirectoryName(page)!,
            null,
            TimeSpan.FromMinutes(2),
            TestContext.Current.CancellationToken
        );
        Assert.True(result.ExitCode == 0, $"chromium failed: {result}");
        return (result.Output, result.Error);
    }
}
