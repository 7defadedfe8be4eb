namespace Tierpsy.Krypton.Targets;

/// <summary>
/// The base of a build class. Declare targets as properties and parameters with <see cref="ParameterAttribute"/>,
/// then start with <c>public static int Main() => Execute&lt;Build&gt;(x => x.Default);</c>
/// </summary>
public abstract class BuildBase
{
    /// <summary>
    /// The project root: <c>--root</c>, <c>KRYPTON_ROOT</c>, or the nearest folder upwards that has <c>.krypton/</c>.
    /// </summary>
    public AbsolutePath RootDirectory { get; internal set; } = AbsolutePath.Create(".");

    /// <summary>True with <c>--dry-run</c>: print every remote effect instead of doing it.</summary>
    public bool IsDryRun { get; internal set; }

    /// <summary>The names of the targets that were asked for (or the default).</summary>
    public IReadOnlyList<string> InvokedTargets { get; internal set; } = [];

    /// <summary>Where targets report what they do.</summary>
    public BuildLog Log { get; internal set; } = new(TextWriter.Null, TextWriter.Null, false, Verbosity.Normal);

    /// <summary>Called once after the last target, whatever happened: close connections and the like here.</summary>
    protected internal virtual ValueTask OnBuildFinishedAsync() => ValueTask.CompletedTask;

    /// <summary>
    /// Runs the build for the current process and returns its exit code. Ctrl+C cancels the running target.
    /// </summary>
    /// <param name="defaultTargets">What runs when no target is named.</param>
    protected static int Execute<T>(params Func<T, Target>[] defaultTargets)
        where T : BuildBase, new()
    {
        using var cancellation = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            if (cancellation.IsCancellationRequested)
                return; // a second Ctrl+C ends the process at once
            e.Cancel = true;
            cancellation.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        try
        {
            return BuildRunner
                .RunAsync(new T(), BuildInvocation.FromProcess(cancellation.Token), defaultTargets)
                .GetAwaiter()
                .GetResult();
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }
}
