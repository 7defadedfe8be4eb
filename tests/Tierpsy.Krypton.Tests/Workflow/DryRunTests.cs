using Tierpsy.Krypton.Tests.Targets;
using Tierpsy.Krypton.TestSupport;
using Tierpsy.Krypton.Workflow;

namespace Tierpsy.Krypton.Tests.Workflow;

public class DryRunTests
{
    private sealed class LocalBuild : TierpsyBuild;

    [Fact]
    public void Dry_run_prints_the_listing_command_the_scripts_and_the_submit_commands_and_changes_nothing()
    {
        using var cluster = new TempDirectory("krypton-dry cluster");
        using var project = new TempDirectory("krypton-dry");
        project.Write(
            ".krypton/parameters.json",
            $$"""{ "Scheduler": "local", "RemoteRoot": "{{cluster.Path}}/tierpsy_demo", "ParamsFile": "AuxiliaryFiles/p.json" }"""
        );
        project.Write("AuxiliaryFiles/p.json", "{}");
        project.Write(
            ".krypton/state/listing/tierpsy_output.txt",
            Fixtures.Read("generated/listing/tierpsy_output__hydra_yaml_2_unprocessed.txt")
        );

        var run = BuildHarness.Run<LocalBuild>(["Submit", "--dry-run"], root: project.Path);

        Assert.True(run.ExitCode == 0, run.All);
        Assert.Contains("[dry-run] would run on this computer:\n  ", run.Output);
        Assert.Contains("tierpsy_process --video_dir_root", run.Output);
        Assert.Contains("/tasks.txt:\n/mnt/storage/home/jdoe/.conda/envs/tierpsy/bin/python ", run.Output);
        Assert.Contains("/job.1.sh:\n#!/bin/bash\n", run.Output);
        Assert.Contains("nohup bash job.1.sh", run.Output);
        Assert.Empty(Directory.GetFileSystemEntries(cluster.Path));
        Assert.False(Directory.Exists(Path.Combine(project.Path, ".krypton", "state", "submissions")));
    }

    [Fact]
    public void Dry_run_with_no_tmp_lists_with_an_empty_temporary_root()
    {
        using var cluster = new TempDirectory("krypton-dry cluster");
        using var project = LocalProject(cluster.Path);
        project.Write(
            ".krypton/state/listing/tierpsy_output.txt",
            Fixtures.Read("generated/listing/tierpsy_output__hydra_yaml_2_unprocessed.txt")
        );

        var run = BuildHarness.Run<LocalBuild>(["ListFiles", "--dry-run", "--no-tmp"], root: project.Path);

        Assert.True(run.ExitCode == 0, run.All);
        Approvals.Verify(
            run.Output.Replace(cluster.Path, "<cluster>", StringComparison.Ordinal)
                .Replace(project.Path, "<project>", StringComparison.Ordinal)
        );
    }

    [Fact]
    public void Dry_run_from_masked_lists_the_masked_videos_from_the_start_point()
    {
        using var cluster = new TempDirectory("krypton-dry cluster");
        using var project = LocalProject(cluster.Path);
        project.Write(
            ".krypton/state/listing/tierpsy_output.txt",
            Fixtures.Read("generated/listing/tierpsy_output__hydra_yaml_2_unprocessed.txt")
        );

        var run = BuildHarness.Run<LocalBuild>(
            ["ListFiles", "--dry-run", "--from", "masked", "--start-point", "SKE_INIT"],
            root: project.Path
        );

        Assert.True(run.ExitCode == 0, run.All);
        Approvals.Verify(
            run.Output.Replace(cluster.Path, "<cluster>", StringComparison.Ordinal)
                .Replace(project.Path, "<project>", StringComparison.Ordinal)
        );
    }

    [Fact]
    public void A_start_point_before_the_masked_videos_exist_is_refused_with_the_choices()
    {
        using var cluster = new TempDirectory("krypton-dry cluster");
        using var project = LocalProject(cluster.Path);

        var run = BuildHarness.Run<LocalBuild>(
            ["ListFiles", "--dry-run", "--from", "masked", "--start-point", "COMPRESS"],
            root: project.Path
        );

        Assert.Equal(1, run.ExitCode);
        Assert.Contains(
            "--start-point 'COMPRESS' is not a checkpoint a re-analysis from masked videos can start",
            run.Error
        );
        Assert.Contains("Choose one of TRAJ_CREATE, TRAJ_JOIN,", run.Error);
    }

    private static TempDirectory LocalProject(string cluster)
    {
        var project = new TempDirectory("krypton-dry");
        project.Write(
            ".krypton/parameters.json",
            $$"""
            { "Scheduler": "local", "RemoteRoot": "{{cluster}}/tierpsy_demo", "ParamsFile": "AuxiliaryFiles/p.json" }
            """
        );
        project.Write("AuxiliaryFiles/p.json", "{}");
        return project;
    }

    [Fact]
    public void Stage_dry_run_says_what_it_would_copy_and_succeeds()
    {
        using var cluster = new TempDirectory("krypton-dry cluster");
        using var project = LocalProject(cluster.Path);
        using var share = new TempDirectory("krypton share");
        share.Write("20210504/plate_1/metadata.yaml", "__store: imgstore\n");
        share.Write("20210504/plate_1/000000.mp4", "video");

        var run = BuildHarness.Run<LocalBuild>(
            ["Stage", "--source", Path.Combine(share.Path, "20210504"), "--dry-run"],
            root: project.Path
        );

        Assert.True(run.ExitCode == 0, run.All);
        Assert.Contains("[dry-run] Stage would copy up to 3 files", run.Output);
        Assert.DoesNotContain("could not compute the SHA-256", run.All);
        Assert.Empty(Directory.GetFileSystemEntries(cluster.Path));
    }

    [Fact]
    public void Stage_of_a_file_says_it_is_a_file_and_a_folder_without_videos_is_warned_about()
    {
        using var cluster = new TempDirectory("krypton-dry cluster");
        using var project = LocalProject(cluster.Path);
        using var share = new TempDirectory("krypton share");
        var video = share.Write("20210504/plate_1/metadata.yaml", "__store: imgstore\n");
        share.Write("20210505/a.mp4", "video");

        var file = BuildHarness.Run<LocalBuild>(["Stage", "--source", video, "--dry-run"], root: project.Path);
        var noVideo = BuildHarness.Run<LocalBuild>(
            ["Stage", "--source", Path.Combine(share.Path, "20210505"), "--dry-run"],
            root: project.Path
        );

        Assert.Equal(1, file.ExitCode);
        Assert.Contains($"--source {video} is a file; Stage copies folders.", file.Error);
        Assert.DoesNotContain("does not exist", file.All);
        Assert.Contains("No file in", noVideo.All);
        Assert.Contains("matches the video pattern *.yaml (--pattern)", noVideo.All);
    }
}
