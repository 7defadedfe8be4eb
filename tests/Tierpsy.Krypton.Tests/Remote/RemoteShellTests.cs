using System.Diagnostics;
using System.Text;
using Tierpsy.Krypton.Remote;

namespace Tierpsy.Krypton.Tests.Remote;

/// <summary>The command loop a remote shell runs, run here by the same shells a login node has.</summary>
public class RemoteShellTests
{
    private const string Token = "krypton-0123";

    [Fact]
    public async Task Bash_answers_each_command_with_its_output_then_the_marker_and_status_on_both_streams()
    {
        var (exit, output, error) = await RunAsync("bash", "echo one; echo e >&2; exit 3\0cat; printf 'two'\0");

        Assert.Equal(0, exit);
        Assert.Equal($"\0{Token} ready\none\n\0{Token} 3\ntwo\0{Token} 0\n", output);
        Assert.Equal($"\0{Token} ready\ne\n\0{Token} 3\n\0{Token} 0\n", error);
    }

    [Fact]
    public async Task Commands_run_in_a_login_bash_whatever_the_users_login_shell()
    {
        if (!File.Exists("/bin/dash"))
            Assert.Skip("dash is not installed");

        var (_, output, _) = await RunAsync("/bin/dash", "shopt -q login_shell && echo login bash\0");

        Assert.Equal($"\0{Token} ready\nlogin bash\n\0{Token} 0\n", output);
    }

    /// <summary>Runs the loop as sshd would (<c>shell -c loop</c>) with <paramref name="input"/> on stdin.</summary>
    private static async Task<(int Exit, string Output, string Error)> RunAsync(string shell, string input)
    {
        var start = new ProcessStartInfo(shell)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(RemoteShell.LoopCommand(Token));
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        try
        {
            await process.StandardInput.BaseStream.WriteAsync(
                Encoding.UTF8.GetBytes(input),
                TestContext.Current.CancellationToken
            );
            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // A shell that does not read its input may have ended already.
        }
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        return (process.ExitCode, await output, await error);
    }
}
