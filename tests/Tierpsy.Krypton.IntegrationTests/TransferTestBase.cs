using System.Text.Json;
using Tierpsy.Krypton.Targets;
using Tierpsy.Krypton.TestSupport;
using Tierpsy.Krypton.Workflow;

namespace Tierpsy.Krypton.IntegrationTests;

/// <summary>
/// What the Stage, Retrieve and Clean tests share: a project and a share with awkward names, the cluster's folder, and
/// running a target.
/// </summary>
public abstract class TransferTestBase
{
    /// <summary>
    /// The Stage, Retrieve and Clean tests run one after another, as they did in one class (they fill disks, cut
    /// connections and load both cores).
    /// </summary>
    public const string Collection = "Transfers";

    protected sealed class TransferBuild : TierpsyBuild;

    /// <summary>A build whose cluster connection goes through <see cref="ChangingRemote"/>.</summary>
    private protected sealed class ChangingBuild(Func<Remote.IRemote, ChangingRemote> wrap) : TierpsyBuild
    {
        public ChangingRemote? Remote { get; private set; }

        private protected override async Task<Remote.IRemote> ConnectAsync(CancellationToken cancellationToken) =>
            Remote ??= wrap(await base.ConnectAsync(cancellationToken));
    }

    protected sealed class Setup : IDisposable
    {
        public TempDirectory Project { get; } = new("krypton-transfer-project");
        public TempDirectory Share { get; } = new("krypton share $x");
        public string RemoteRoot { get; } = Path.Combine(TestCluster.Jobs, $"tierpsy it $s {Guid.NewGuid():N}"[..22]);
        public string Day => Path.Combine(Share.Path, "20210504");

        /// <summary>The largest source file (3 MB), and where Stage puts it.</summary>
        public string Video => Path.Combine(Day, "cam one.22956818", "000000.mp4");

        /// <inheritdoc cref="Video"/>
        public string StagedVideo => Remote(VideoOnCluster);

        /// <summary><see cref="Video"/>'s path below the project root on the cluster.</summary>
        public const string VideoOnCluster = "RawVideos/20210504/cam one.22956818/000000.mp4";

        public Setup()
        {
            Parameters(TestCluster.Port, TestCluster.KnownHosts);
            Project.Write("AuxiliaryFiles/params.json", "{}");
            var random = new Random(42);
            foreach (
                var (name, size) in new[]
                {
                    ("cam one.22956818/metadata.yaml", 120),
                    ("cam one.22956818/000000.mp4", 3_000_000),
                    ("näïve 'q' $cam.22956819/000000.mp4", 700_000),
                    ("empty.txt", 0),
                }
            )
            {
                var bytes = new byte[size];
                random.NextBytes(bytes);
                Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(Day, name))!);
                File.WriteAllBytes(Path.Combine(Day, name), bytes);
            }
        }

        public string Remote(string relative) => Path.Combine(RemoteRoot, relative);

        /// <summary>Each source file and where Stage puts it on the cluster.</summary>
        public IEnumerable<(string Local, string Remote)> StagedCopies() =>
            Directory
                .GetFiles(Day, "*", SearchOption.AllDirectories)
                .Select(f => (f, Remote(Path.Combine("RawVideos", "20210504", Path.GetRelativePath(Day, f)))));

        /// <summary>
        /// Connects through a proxy on <paramref name="port"/>, whose host key is accepted on first use (a new
        /// known_hosts).
        /// </summary>
        public void ThroughProxy(int port, int? transfers = null)
        {
            var fingerprint = global::Tierpsy.Krypton.Remote.KnownHosts.Fingerprint(
                Convert.FromBase64String(File.ReadAllText(TestCluster.HostKeyPublic).Split(' ')[1])
            );
            Parameters(
                port,
                Project.Write("known_hosts", ""),
                ("AcceptHostKey", (object?)fingerprint),
                ("Transfers", (object?)transfers)
            );
        }

        private void Parameters(int port, string knownHosts, params (string Name, object? Value)[] more)
        {
            var parameters = new Dictionary<string, object?>
            {
                ["Host"] = "127.0.0.1",
                ["Port"] = port,
                ["User"] = "root",
                ["Scheduler"] = "slurm",
                ["IdentityFile"] = new[] { TestCluster.ClientKey },
                ["KnownHostsFile"] = knownHosts,
                ["RemoteRoot"] = RemoteRoot,
            };
            foreach (var (name, value) in more.Where(m => m.Value is not null))
                parameters[name] = value;
            Project.Write(".krypton/parameters.json", JsonSerializer.Serialize(parameters));
        }

        /// <summary>Every source file is on the cluster under its real name with the same bytes.</summary>
        public void AssertStaged()
        {
            foreach (var (local, remote) in StagedCopies())
                Assert.Equal(File.ReadAllBytes(local), File.ReadAllBytes(remote));
        }

        /// <summary>
        /// Stage runs again without an error, and every source file is staged with no partial copy left.
        /// </summary>
        public void AssertStageConverges()
        {
            var again = Run(Project.Path, "Stage", "--source", Day);
            Assert.True(again.ExitCode == 0, again.All);
            AssertStaged();
            Assert.Empty(Directory.GetFiles(RemoteRoot, "*.krypton-partial", SearchOption.AllDirectories));
        }

        /// <summary>
        /// Complete Tierpsy outputs on the cluster at these paths below the project root; returns the paths.
        /// </summary>
        public string[] Results(params string[] paths)
        {
            foreach (var path in paths)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(Remote(path))!);
                TierpsyHdf5(Remote(path), complete: true);
            }
            return paths;
        }

        public void Dispose()
        {
            Project.Dispose();
            Share.Dispose();
            try
            {
                Directory.Delete(RemoteRoot, recursive: true);
            }
            catch (IOException) { }
        }
    }

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>
    /// A small HDF5 file shaped like Tierpsy's outputs: a dataset, and the provenance group when complete.
    /// </summary>
    protected static void TierpsyHdf5(string path, bool complete, int[]? mask = null)
    {
        var file = new PureHDF.H5File { ["mask"] = new PureHDF.H5Dataset(mask ?? [1, 2, 3]) };
        if (complete)
            file["provenance_tracking"] = new PureHDF.H5Group
            {
                ["FEAT_TIERPSY"] = new PureHDF.H5Dataset(new byte[] { 123, 125 }),
            };
        file.Write(path);
    }

    /// <summary>
    /// A small tmpfs over a folder, so the cluster's disk really fills up (the test cluster runs as root on this
    /// machine).
    /// </summary>
    protected sealed class SmallDisk : IDisposable
    {
        private readonly string _folder;

        private SmallDisk(string folder) => _folder = folder;

        public static SmallDisk Mount(string folder, string size)
        {
            var mount = ProcessRunner
                .RunAsync(
                    "mount",
                    ["-t", "tmpfs", "-o", $"size={size}", "tmpfs", folder],
                    folder,
                    null,
                    TimeSpan.FromSeconds(30),
                    Ct
                )
                .GetAwaiter()
                .GetResult();
            // Mounting needs root with CAP_SYS_ADMIN (the test machine has it); elsewhere the test says why it did not
            // run.
            Assert.SkipWhen(mount.ExitCode != 0, $"cannot mount a small tmpfs to fill a disk here: {mount.All.Trim()}");
            return new SmallDisk(folder);
        }

        public void Resize(string size) => Remount($"size={size}");

        public void Remount(string options)
        {
            var remount = ProcessRunner
                .RunAsync("mount", ["-o", $"remount,{options}", _folder], "/", null, TimeSpan.FromSeconds(30), Ct)
                .GetAwaiter()
                .GetResult();
            Assert.True(remount.ExitCode == 0, remount.All);
        }

        public void Dispose() =>
            ProcessRunner
                .RunAsync("umount", ["-l", _folder], "/", null, TimeSpan.FromSeconds(30), CancellationToken.None)
                .GetAwaiter()
                .GetResult();
    }

    protected static void CopyTree(string from, string to)
    {
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    protected static (int ExitCode, string Output, string Error, string All) Run(string root, params string[] args) =>
        Run(new TransferBuild(), root, args);

    protected static (int ExitCode, string Output, string Error, string All) Run(
        TierpsyBuild build,
        string root,
        params string[] args
    ) => Run(build, root, Ct, args);

    /// <summary>
    /// Runs targets and cancels them (Ctrl+C) once <paramref name="file"/> has grown past <paramref name="bytes"/>;
    /// a run that ends before that is returned as it ended.
    /// </summary>
    protected static async Task<(int ExitCode, string Output, string Error, string All)> RunCancelledOnceGrownAsync(
        string root,
        string file,
        long bytes,
        params string[] args
    )
    {
        using var ctrlC = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var run = Task.Run(() => Run(new TransferBuild(), root, ctrlC.Token, args), Ct);
        while (!run.IsCompleted && !(File.Exists(file) && new FileInfo(file).Length > bytes))
            await Task.Delay(10, Ct);
        await ctrlC.CancelAsync();
        return await run;
    }

    /// <summary>Runs targets until they end or <paramref name="cancellation"/> is cancelled (Ctrl+C).</summary>
    protected static (int ExitCode, string Output, string Error, string All) Run(
        TierpsyBuild build,
        string root,
        CancellationToken cancellation,
        params string[] args
    )
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = BuildRunner
            .RunAsync(
                build,
                new BuildInvocation
                {
                    Arguments = args,
                    Environment = new Dictionary<string, string>(),
                    WorkingDirectory = root,
                    Output = output,
                    Error = error,
                    Cancellation = cancellation,
                },
                []
            )
            .GetAwaiter()
            .GetResult();
        return (exit, output.ToString(), error.ToString(), output + "\n" + error);
    }
}
