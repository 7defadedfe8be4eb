using Tierpsy.Krypton.TestSupport;

namespace Tierpsy.Krypton.IntegrationTests;

/// <summary>
/// A cluster account for Setup's tests, in a folder of its own: stand-ins for Environment Modules (<c>module</c>) and
/// Anaconda (<c>conda</c>, <c>source activate</c>) as far as Setup sees them, and a real git repository holding the
/// stand-in Tierpsy's source with a setup.py, which real git clones and real pip installs.
/// </summary>
internal sealed class StandInEnvironment : IDisposable
{
    private static readonly string[] Executables = ["modules/modulecmd", "anaconda3/bin/conda"];

    /// <summary>Why the stand-in conda cannot make environments here (it needs python3-venv), or null.</summary>
    private static readonly Lazy<string?> Missing = new(() =>
    {
        var venv = ProcessRunner
            .RunAsync("/usr/bin/python3", ["-c", "import ensurepip, venv"], "/", null, TimeSpan.FromMinutes(1))
            .GetAwaiter()
            .GetResult();
        return venv.ExitCode == 0 ? null : $"/usr/bin/python3 cannot make a venv ({venv.Error.Trim()})";
    });

    public StandInEnvironment()
    {
        StandIn.Require();
        if (Missing.Value is { } reason)
        {
            Assert.False(System.Environment.GetEnvironmentVariable("KRYPTON_REQUIRE_CLUSTER") == "1", reason);
            Assert.Skip($"{reason}; install python3-venv (the test cluster's install.sh does).");
        }
        Root = Path.Combine(TestCluster.Jobs, $"setup {Guid.NewGuid():N}"[..14]);
        var from = Path.Combine(AppContext.BaseDirectory, "standin-env");
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(Root, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
        if (!OperatingSystem.IsWindows())
            foreach (var file in Executables)
                File.SetUnixFileMode(Path.Combine(Root, file), (UnixFileMode)0b111_101_101);
        Directory.CreateDirectory(Home);
        Commit = MakeRepository();
    }

    /// <summary>The account's folder.</summary>
    public string Root { get; }

    /// <summary>Setup's root here (what the home is on a real cluster).</summary>
    public string Home => Path.Combine(Root, "home");

    /// <summary>The git repository with the stand-in Tierpsy source.</summary>
    public string Repository => Path.Combine(Root, "tierpsy-tracker.git");

    /// <summary>The commit of <see cref="Repository"/> that Setup checks out.</summary>
    public string Commit { get; }

    /// <summary>The conda environment's folder once Setup made it.</summary>
    public string Environment(string name) => Path.Combine(Root, "anaconda3", "envs", name);

    /// <summary>TierpsySetup as such a site writes it: modules made available, Anaconda loaded, activate.</summary>
    public string[] TierpsySetup(string environment = "tierpsy") =>
        [$". '{Root}/modules/init/bash'", "module load Anaconda3", $"source activate {environment}"];

    private string MakeRepository()
    {
        StandIn.Install(Repository);
        foreach (var file in new[] { "setup.py", "tierpsy/standin_entry.py" })
            File.Copy(Path.Combine(AppContext.BaseDirectory, "standin", file), Path.Combine(Repository, file));
        Git("init", "-q");
        Git("add", ".");
        Git("-c", "user.name=Test", "-c", "user.email=test@example.org", "commit", "-q", "-m", "stand-in Tierpsy");
        return Git("rev-parse", "HEAD").Trim();
    }

    private string Git(params string[] arguments)
    {
        var git = ProcessRunner
            .RunAsync("git", arguments, Repository, null, TimeSpan.FromMinutes(1), CancellationToken.None)
            .GetAwaiter()
            .GetResult();
        Assert.True(git.ExitCode == 0, git.All);
        return git.Output;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException) { }
    }
}
