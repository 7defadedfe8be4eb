using System.Diagnostics;
using Tierpsy.Krypton.TestSupport;

namespace Tierpsy.Krypton.IntegrationTests;

/// <summary>
/// The Tierpsy stand-in (standin/): its listing, per-video runner and summarizer, run by /usr/bin/python3 with
/// h5py (Debian's python3-h5py, which cluster/install.sh installs) because its outputs are real HDF5 files.
/// </summary>
internal static class StandIn
{
    private static readonly string[] Files =
    [
        "tierpsy_process",
        "ProcessLocal.py",
        "checkpoints.py",
        "python",
        "tierpsy/__init__.py",
        "tierpsy/summary/__init__.py",
        "tierpsy/summary/collect.py",
        "HYDRA_96WP_UPRIGHT.json",
    ];

    private static readonly Lazy<string?> Missing = new(() =>
    {
        try
        {
            using var python = Process.Start(
                new ProcessStartInfo("/usr/bin/python3", ["-c", "import h5py"]) { RedirectStandardError = true }
            )!;
            var error = python.StandardError.ReadToEnd();
            python.WaitForExit();
            return python.ExitCode == 0
                ? null
                : $"/usr/bin/python3 cannot import h5py ({error.Trim().Split('\n')[^1]})";
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return $"/usr/bin/python3 cannot be started ({e.Message})";
        }
    });

    /// <summary>Skips (or, in CI, fails) the calling test when the stand-in cannot run here.</summary>
    public static void Require()
    {
        if (Missing.Value is not { } reason)
            return;
        if (Environment.GetEnvironmentVariable("KRYPTON_REQUIRE_CLUSTER") == "1")
            Assert.Fail($"The Tierpsy stand-in is required (KRYPTON_REQUIRE_CLUSTER=1) but {reason}.");
        Assert.Skip(
            $"The Tierpsy stand-in cannot run: {reason}. Install python3-h5py "
                + $"(tests/Tierpsy.Krypton.IntegrationTests/cluster/install.sh does)."
        );
    }

    /// <summary>
    /// Copies the stand-in into <paramref name="folder"/>, with Tierpsy's parameter table, ready to run.
    /// </summary>
    public static void Install(string folder)
    {
        Require();
        foreach (var file in Files)
        {
            var target = Path.Combine(folder, file);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(Path.Combine(AppContext.BaseDirectory, "standin", file), target);
            if (!OperatingSystem.IsWindows())
                File.SetUnixFileMode(target, (UnixFileMode)0b111_101_101);
        }
        File.Copy(
            Path.Combine(Fixtures.TierpsyFolder, "tracker-parameters.tsv"),
            Path.Combine(folder, "tracker-parameters.tsv")
        );
    }
}
