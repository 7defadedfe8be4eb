using System.Diagnostics;
using System.Text;
using Tierpsy.Krypton.Targets;

namespace KryptonTemplates.Build;

/// <summary>Runs a program, streaming its output to the log and keeping it for parsing.</summary>
internal static class Processes
{
    public sealed record Result(int ExitCode, string Output);

    /// <param name="echo">False: keep the output for the caller without printing it.</param>
    public static async Task<Result> RunAsync(
        string program,
        string arguments,
        string workingDirectory,
        BuildLog log,
        CancellationToken ct,
        bool echo = true
    )
    {
        log.Verbose($"> {program} {arguments}");
        var start = new ProcessStartInfo(program, arguments)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {program}.");
        process.StandardInput.Close();
        var output = new StringBuilder();
        void Pump(string? line, bool error)
        {
            if (line is null)
                return;
            lock (output)
                output.AppendLine(line);
            if (!echo)
                return;
            if (error)
                log.Plain(line);
            else
                log.Info(line);
        }
        process.OutputDataReceived += (_, e) => Pump(e.Data, false);
        process.ErrorDataReceived += (_, e) => Pump(e.Data, true);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await process.WaitForExitAsync(ct);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        process.WaitForExit(); // drains the asynchronous readers
        return new Result(process.ExitCode, output.ToString());
    }

    public static async Task RunCheckedAsync(
        string program,
        string arguments,
        string workingDirectory,
        BuildLog log,
        CancellationToken ct
    )
    {
        var result = await RunAsync(program, arguments, workingDirectory, log, ct);
        if (result.ExitCode != 0)
            throw new InvalidOperationException(
                $"'{program} {arguments}' exited with {result.ExitCode}; see its output above."
            );
    }
}
