using System.Diagnostics;
using System.Globalization;
using Spectre.Console;
using Tierpsy.Krypton.Remote;
using Tierpsy.Krypton.Targets;
using Tierpsy.Krypton.Text;
using Tierpsy.Krypton.Tierpsy;

namespace Tierpsy.Krypton.Workflow;

/// <summary>Why a Setup step failed: the step, its exit code and the line of its output that says why.</summary>
internal sealed class InstallStepException(InstallStep step, int exitCode, string line, string logFile)
    : InvalidOperationException(
        $"""
        Setup failed at "{step.Name}" (exit code {exitCode}):
          {line}
        {step.Advice}
        The whole output is in {logFile}.
        """
    )
{
    /// <summary>The step that failed.</summary>
    public InstallStep Step { get; } = step;

    /// <summary>Its exit code.</summary>
    public int ExitCode { get; } = exitCode;
}

/// <summary>
/// Runs Setup's steps on the cluster one by one: a progress line per step (on a terminal a spinner with the elapsed
/// time; piped, a line each minute while a step runs), and every step's command and output appended to a log file.
/// </summary>
internal sealed class InstallRun(IRemote remote, BuildLog log, string logFile)
{
    /// <summary>How long one step may take (conda can solve for an hour on a slow login node).</summary>
    private static readonly TimeSpan StepTimeout = TimeSpan.FromHours(3);

    /// <summary>How often a piped log says that a long step still runs.</summary>
    private static readonly TimeSpan Heartbeat = TimeSpan.FromMinutes(1);

    /// <summary>Runs the steps in order; throws <see cref="InstallStepException"/> at the first that fails.</summary>
    public async Task RunAsync(IReadOnlyList<InstallStep> steps, CancellationToken ct)
    {
        for (var i = 0; i < steps.Count; i++)
            await RunAsync(steps[i], $"[{i + 1}/{steps.Count}]", ct);
    }

    private async Task RunAsync(InstallStep step, string counter, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var running = remote.RunAsync(step.Command, StepTimeout, ct);
        var result = await ShowProgressAsync(running, $"{counter} {step.Name}", clock);
        Append(step, counter, result, clock.Elapsed);
        if (result.ExitCode != 0)
            throw new InstallStepException(
                step,
                result.ExitCode,
                TierpsyInstallation.FailingLine(result.Output, result.Error),
                logFile
            );
        var done = result.Output.Contains(TierpsyInstallation.AlreadyDone, StringComparison.Ordinal);
        log.Info($"{counter} {step.Name}: {(done ? "already done" : "done")} ({DurationText.Clock(clock.Elapsed)})");
    }

    private async Task<CommandResult> ShowProgressAsync(Task<CommandResult> running, string title, Stopwatch clock)
    {
        if (log.Terminal is { } terminal)
            return await terminal
                .Status()
                .StartAsync(Markup.Escape(title), async context =>
                {
                    while (await Task.WhenAny(running, Task.Delay(TimeSpan.FromSeconds(1))) != running)
                        context.Status($"{Markup.Escape(title)} {DurationText.Clock(clock.Elapsed)}");
                    return await running;
                });
        log.Info($"{title} ...");
        while (await Task.WhenAny(running, Task.Delay(Heartbeat)) != running)
            log.Info($"{title}: still running after {DurationText.Clock(clock.Elapsed)}");
        return await running;
    }

    private void Append(InstallStep step, string counter, CommandResult result, TimeSpan took)
    {
        var time = DateTimeOffset.Now.ToString("yyyy-MM-dd HH:mm:ss zzz", CultureInfo.InvariantCulture);
        File.AppendAllText(
            logFile,
            $"""
            === {time} {counter} {step.Name} ===
            $ {step.Command.Replace("\n", "\n  ", StringComparison.Ordinal)}
            {result.Output.TrimEnd()}
            {result.Error.TrimEnd()}
            (exit code {result.ExitCode} after {DurationText.Clock(took)})


            """
        );
    }
}
