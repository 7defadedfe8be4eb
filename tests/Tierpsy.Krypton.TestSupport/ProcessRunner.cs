using System.Diagnostics;

namespace Tierpsy.Krypton.TestSupport;

/// <summary>The outcome of a finished process.</summary>
public sealed record ProcessResult(int ExitCode, string Output, string Error)
{
    /// <summary>Standard output and standard error together.</summary>
    public string All => Output + Error;

    /// <summary>A one-paragraph description for assertion messages.</summary>
    public override string ToString() => $"exit {ExitCode}\n--- stdout ---\n{Output}\n--- stderr ---\n{Error}";
}

/// <summary>Runs real programs (dotnet, bash, ...) for end-to-end tests, with a time limit.</summary>
public static class ProcessRunner
{
    /// <summary>
    /// Runs <paramref name="program"/> with arguments passed without a shell; stdin is empty. A variable of
    /// <paramref name="environment"/> whose value is null is unset.
    /// </summary>
    public static async Task<ProcessResult> RunAsync(
        string program,
        IEnumerable<string> arguments,
        string workingDirectory,
        IReadOnlyDictionary<string, string?>? environment = null,
        TimeSpan? timeout = null,
        CancellationToken cancellation = default
    )
    {
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["NO_COLOR"] = "1";
        foreach (var (key, value) in environment ?? new Dictionary<string, string?>())
            if (value is null)
                start.Environment.Remove(key);
            else
                start.Environment[key] = value;

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {program}.");
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync(cancellation);
        var error = process.StandardError.ReadToEndAsync(cancellation);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        limit.CancelAfter(timeout ?? TimeSpan.FromMinutes(5));
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException(
                $"{program} {string.Join(" ", start.ArgumentList)} did not finish within "
                    + $"{timeout ?? TimeSpan.FromMinutes(5)}."
            );
        }
        return new ProcessResult(process.ExitCode, await output, await error);
    }

    /// <summary>The repository's root folder (the one holding KryptonTemplates.sln).</summary>
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "KryptonTemplates.sln")))
                return dir.FullName;
        throw new InvalidOperationException($"KryptonTemplates.sln was not found above {AppContext.BaseDirectory}.");
    }
}
