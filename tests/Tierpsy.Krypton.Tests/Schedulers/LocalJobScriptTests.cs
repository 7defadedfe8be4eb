using Tierpsy.Krypton.Schedulers;
using Tierpsy.Krypton.TestSupport;
using Tierpsy.Krypton.Tierpsy;

namespace Tierpsy.Krypton.Tests.Schedulers;

/// <summary>The job script body run for real by bash, through the local scheduler's script.</summary>
public class LocalJobScriptTests
{
    [Fact]
    public async Task Each_task_runs_its_line_with_empty_stdin_and_its_log_ends_with_its_exit_code()
    {
        using var folder = new TempDirectory("krypton job $dir");
        var job = new ArrayJob
        {
            Name = "demo",
            Directory = folder.Path,
            TaskCount = 4, // one more than the task list has lines
            Resources = new Resources(TimeSpan.FromHours(1)),
            Setup = ["export FROM_SETUP=\"set up\""],
        };
        Directory.CreateDirectory(job.LogDirectory);
        File.WriteAllText(
            job.TaskListPath,
            string.Join(
                "\n",
                "echo \"hello $FROM_SETUP\"",
                "read -r x && echo \"read $x\" || echo 'stdin is empty'; exit 7",
                "printf '%s\\n' 'it'\\''s fine'"
            )
        );
        var chunk = Assert.Single(job.Chunks(null));
        File.WriteAllText(job.ScriptPath(chunk), new LocalScheduler().RenderScript(job, chunk));

        var run = await ProcessRunner.RunAsync(
            "bash",
            [job.ScriptPath(chunk)],
            folder.Path,
            cancellation: TestContext.Current.CancellationToken
        );

        Assert.Equal(0, run.ExitCode);
        string Log(int task) => File.ReadAllText(job.LogPath(task));
        Assert.Contains("hello set up\n", Log(1));
        Assert.Equal(0, JobScript.ExitCode(Log(1)));
        Assert.Contains("stdin is empty\n", Log(2));
        Assert.Equal(7, JobScript.ExitCode(Log(2)));
        Assert.Contains("it's fine\n", Log(3));
        Assert.Contains("# krypton: the task list has no line 4", Log(4));
        Assert.Equal(3, JobScript.ExitCode(Log(4)));
        Assert.StartsWith("# krypton task 2 of 4, job local-", Log(2));
    }

    [Fact]
    public void A_log_without_the_exit_line_has_no_exit_code_yet()
    {
        Assert.Null(JobScript.ExitCode("# krypton task 1 of 2\nCOMPRESS\n"));
        Assert.Equal(143, JobScript.ExitCode("COMPRESS\n# krypton: stopped by SIGTERM\n# krypton exit 143\n"));
    }

    [Fact]
    public void Job_names_are_safe_for_every_scheduler()
    {
        Assert.Equal("tierpsy_my_proj", JobScript.Name("tierpsy my project"));
        Assert.Equal("t2021_plates", JobScript.Name("2021 plates"));
    }
}
