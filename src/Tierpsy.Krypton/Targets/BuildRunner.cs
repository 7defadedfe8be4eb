using System.Diagnostics;
using System.Reflection;

namespace Tierpsy.Krypton.Targets;

/// <summary>
/// Runs one invocation of a build: parse, resolve parameters, plan, check requirements, execute, summarize.
/// </summary>
internal static class BuildRunner
{
    public const int Success = 0;
    public const int TargetFailed = 1;
    public const int UsageError = 2;
    public const int Cancelled = 130;

    /// <summary>The library's version as packed (<c>0.1.0</c>), without the commit that built it.</summary>
    public static string LibraryVersion { get; } =
        (
            typeof(BuildRunner)
                .Assembly.GetCustomAttributes(typeof(AssemblyInformationalVersionAttribute), false)
                .OfType<AssemblyInformationalVersionAttribute>()
                .FirstOrDefault()
                ?.InformationalVersion
            ?? "unknown"
        ).Split('+')[0];

    public static async Task<int> RunAsync<T>(
        T build,
        BuildInvocation invocation,
        IReadOnlyList<Func<T, Target>> defaults
    )
        where T : BuildBase
    {
        var log = new BuildLog(invocation.Output, invocation.Error, invocation.UseColor, Verbosity.Normal);
        try
        {
            var parameters = BuildParameter.Discover(build.GetType());
            var commandLine = CommandLine.Parse(invocation.Arguments, name => Arity(parameters, name));
            log = new BuildLog(
                invocation.Output,
                invocation.Error,
                invocation.UseColor,
                commandLine.Verbosity,
                invocation.Terminal
            );
            if (commandLine.Version)
            {
                log.Plain($"Tierpsy.Krypton {LibraryVersion}");
                return Success;
            }
            var root = FindRoot(commandLine, invocation);
            build.RootDirectory = AbsolutePath.Create(root);
            build.IsDryRun = commandLine.DryRun;
            build.Log = log;

            var errors = ParameterResolver.Resolve(
                build,
                parameters,
                commandLine,
                invocation.Environment,
                root,
                invocation.WorkingDirectory
            );
            var graph = TargetGraph.Create(build);
            var defaultTargets = defaults.Select(d => graph.Of(build, d(build))).ToList();

            // Help asked for shows problems as warnings; help shown for want of a target does not hide them.
            if (!commandLine.Help && errors.Count > 0)
                throw new BuildSetupException(string.Join(Environment.NewLine + "error: ", errors));
            if (commandLine.Help || (commandLine.Targets.Count == 0 && defaultTargets.Count == 0))
            {
                log.Plain(HelpWriter.Render(invocation.CommandName, graph, defaultTargets, parameters, build, root));
                foreach (var error in errors)
                    log.Warning(error);
                return Success;
            }
            var invoked =
                commandLine.Targets.Count > 0
                    ? commandLine.Targets.Select(n => FindTarget(graph, n)).Distinct().ToList()
                    : defaultTargets;
            var skip = commandLine.Skip?.Select(n => FindTarget(graph, n)).ToList();
            var plan = ExecutionPlan.Create(graph, invoked, skip);
            build.InvokedTargets = invoked.Select(t => t.Name).ToList();

            if (commandLine.Plan)
            {
                log.Plain(plan.Describe());
                return Success;
            }
            CheckRequirements(plan, parameters);
            try
            {
                return await ExecuteAsync(plan, log, invocation.Cancellation);
            }
            finally
            {
                await build.OnBuildFinishedAsync();
            }
        }
        catch (BuildSetupException e)
        {
            log.Error(e.Message);
            return UsageError;
        }
    }

    private static OptionArity? Arity(IReadOnlyList<BuildParameter> parameters, string name)
    {
        var key = ParameterNames.Normalize(name);
        var parameter = parameters.FirstOrDefault(p => ParameterNames.Normalize(p.Name) == key);
        return parameter is null ? null
            : parameter.IsFlag ? OptionArity.Flag
            : parameter.Type.IsArray ? OptionArity.Many
            : OptionArity.One;
    }

    private static string FindRoot(CommandLine commandLine, BuildInvocation invocation)
    {
        if (commandLine.Root is { } root)
            return Existing(Path.GetFullPath(root, invocation.WorkingDirectory), "--root");
        if (invocation.Environment.GetValueOrDefault("KRYPTON_ROOT") is { Length: > 0 } fromEnvironment)
            return Existing(Path.GetFullPath(fromEnvironment, invocation.WorkingDirectory), "KRYPTON_ROOT");
        return ProjectRoot.Find(invocation.WorkingDirectory) ?? invocation.WorkingDirectory;
    }

    private static string Existing(string root, string source) =>
        Directory.Exists(root)
            ? root
            : throw new BuildSetupException(
                $"The project folder {root} (from {source}) does not exist. "
                    + "Give the folder that holds the project's .krypton/, "
                    + "or run from inside it without --root."
            );

    private static ExecutableTarget FindTarget(TargetGraph graph, string name) =>
        graph.Find(name)
        ?? throw new BuildSetupException(
            $"Unknown target '{name}'.{Suggestions.DidYouMean(name, graph.Targets.Select(t => t.Name))} The targets "
                + $"are: {string.Join(", ", graph.Targets.Where(t => !t.Definition.IsUnlisted).Select(t => t.Name))}."
        );

    /// <summary>Every requirement of every planned, not skipped target, checked before anything runs.</summary>
    private static void CheckRequirements(ExecutionPlan plan, IReadOnlyList<BuildParameter> parameters)
    {
        var missing = new List<string>();
        foreach (var target in plan.Order.Where(t => !plan.Skipped.Contains(t)))
        foreach (var (requirement, text) in target.Definition.Requirements)
        {
            if (BuildParameter.IsPresent(requirement()))
                continue;
            var member = LambdaText.MemberName(text);
            var parameter = member is null
                ? null
                : parameters.FirstOrDefault(p =>
                    p.Name == member || ParameterNames.Normalize(p.Name) == ParameterNames.Normalize(member)
                );
            missing.Add(
                parameter is not null
                    ? $"Target {target.Name} needs the parameter {parameter.Name}, which is not set. Set it with "
                        + $"{parameter.HowToSet()}."
                    : $"Target {target.Name} requires '{text}', which is not met."
            );
        }
        if (missing.Count > 0)
            throw new BuildSetupException(string.Join(Environment.NewLine + "error: ", missing) + " Nothing was run.");
    }

    private static async Task<int> ExecuteAsync(ExecutionPlan plan, BuildLog log, CancellationToken cancellation)
    {
        var results = new Dictionary<ExecutableTarget, TargetResult>();
        var stopped = false; // a target failed without ProceedAfterFailure
        ExecutableTarget? aborted = null;

        foreach (var target in plan.Order)
        {
            TargetResult result;
            var blocker = target.Dependencies.FirstOrDefault(d =>
                results.GetValueOrDefault(d)?.Status
                    is TargetStatus.Failed
                        or TargetStatus.NotRun
                        or TargetStatus.Aborted
            );
            if (aborted is not null)
                result = new(target.Name, TargetStatus.NotRun, TimeSpan.Zero, "cancelled");
            else if (plan.Skipped.Contains(target))
                result = new(target.Name, TargetStatus.Skipped, TimeSpan.Zero, "--skip");
            else if (stopped && !target.Definition.IsAssuredAfterFailure)
                result = new(target.Name, TargetStatus.NotRun, TimeSpan.Zero, "an earlier target failed");
            else if (blocker is not null && !target.Definition.IsAssuredAfterFailure)
                result = new(target.Name, TargetStatus.NotRun, TimeSpan.Zero, $"{blocker.Name} did not succeed");
            else
            {
                result = await RunTargetAsync(target, log, cancellation);
                if (result.Status == TargetStatus.Aborted)
                    aborted = target;
                if (result.Status == TargetStatus.Failed && !target.Definition.IsProceedAfterFailure)
                    stopped = true;
            }
            results[target] = result;
        }

        log.Plain("");
        log.Plain(SummaryTable.Render(plan.Order.Select(t => results[t]).ToList()));
        if (aborted is not null)
        {
            log.Error(
                $"Cancelled (Ctrl+C) while {aborted.Name} was running. The targets after it did not run; run the same "
                    + $"command again to continue."
            );
            return Cancelled;
        }
        var failed = results.Values.Where(r => r.Status is TargetStatus.Failed).Select(r => r.Name).ToList();
        var notRun = plan.Invoked.Where(t => results[t].Status is TargetStatus.NotRun).Select(t => t.Name).ToList();
        if (failed.Count > 0 || notRun.Count > 0)
        {
            log.Error(
                $"Build failed: {string.Join(", ", failed)} failed"
                    + (notRun.Count > 0 ? $"; {string.Join(", ", notRun)} did not run." : ".")
            );
            return TargetFailed;
        }
        log.Success($"Build succeeded: {string.Join(", ", plan.Invoked.Select(t => t.Name))}.");
        return Success;
    }

    private static async Task<TargetResult> RunTargetAsync(
        ExecutableTarget target,
        BuildLog log,
        CancellationToken cancellation
    )
    {
        foreach (var (condition, text) in target.Definition.DynamicConditions)
            if (!condition())
            {
                log.Info($"Skipping {target.Name}: {text} is false.");
                return new(target.Name, TargetStatus.Skipped, TimeSpan.Zero, $"{text} is false");
            }

        log.Header(target.Name);
        var watch = Stopwatch.StartNew();
        try
        {
            foreach (var action in target.Definition.Actions)
            {
                cancellation.ThrowIfCancellationRequested();
                await action(cancellation);
            }
            return new(target.Name, TargetStatus.Succeeded, watch.Elapsed, "");
        }
        catch (Exception) when (cancellation.IsCancellationRequested)
        {
            return new(target.Name, TargetStatus.Aborted, watch.Elapsed, "Ctrl+C");
        }
        catch (Exception e)
        {
            var inner = e is AggregateException { InnerExceptions.Count: 1 } a ? a.InnerExceptions[0] : e;
            log.Error($"{target.Name} failed: {inner.Message}");
            log.Verbose(inner.ToString());
            return new(target.Name, TargetStatus.Failed, watch.Elapsed, FirstLine(inner.Message));
        }
    }

    private static string FirstLine(string text)
    {
        var line = text.Split('\n')[0].Trim();
        return line.Length > 60 ? line[..57] + "..." : line;
    }
}
