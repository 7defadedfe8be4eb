using Tierpsy.Krypton.TestSupport;
using Tierpsy.Krypton.Tests.Targets;
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
        project.Write(".krypton/parameters.json", $$"""{ "Scheduler": "local", "RemoteRoot": "{{cluster.Path}}/tierpsy_demo", "ParamsFile": "AuxiliaryFiles/p.json" }""");
        project.Write("AuxiliaryFiles/p.json", "{}");
        project.Write(".krypton/state/listing/tierpsy_output.txt", Fixtures.Read("generated/listing/tierpsy_output__hydra_yaml_2_unprocessed.txt"));

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
}
