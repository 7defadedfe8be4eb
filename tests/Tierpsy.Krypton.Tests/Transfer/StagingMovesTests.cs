using Tierpsy.Krypton.TestSupport;
using Tierpsy.Krypton.Transfer;

namespace Tierpsy.Krypton.Tests.Transfer;

/// <summary>The script that moves verified small files into place, run by a real shell on real folders.</summary>
public class StagingMovesTests
{
    private static readonly string[] Files =
    [
        "RawVideos/20210504/new cam 'q' $x/000000.mp4",
        "RawVideos/20210504/new cam 'q' $x/metadata.yaml",
        "RawVideos/20210504/-dash/a.npz",
        "RawVideos/old/b.yaml",
        "AuxiliaryFiles/params.json",
    ];

    private static async Task<(string Staging, string Root)> StageAsync(TempDirectory folder, params string[] files)
    {
        var (staging, root) = (
            Path.Combine(folder.Path, "root", ".krypton-staging", "b"),
            Path.Combine(folder.Path, "root")
        );
        foreach (var file in files)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(staging, file))!);
            await File.WriteAllTextAsync(Path.Combine(staging, file), "new " + file);
        }
        return (staging, root);
    }

    private static async Task RunAsync(string script)
    {
        var run = await ProcessRunner.RunAsync("sh", ["-c", script], "/", null, TimeSpan.FromMinutes(1));
        Assert.True(run.ExitCode == 0, run.ToString());
    }

    [Fact]
    public async Task Missing_folders_move_whole_files_join_existing_folders_and_rejected_copies_never_arrive()
    {
        using var folder = new TempDirectory();
        var (staging, root) = await StageAsync(folder, Files);
        folder.Write("root/RawVideos/old/kept.txt", "kept");
        var rejected = "RawVideos/20210504/new cam 'q' $x/metadata.yaml";
        var good = Files.Where(f => f != rejected).ToList();

        var script = StagingMoves.Script(
            staging,
            root,
            good,
            [rejected],
            StagingMoves.FoldersOf(["RawVideos/old/kept.txt"])
        );
        await RunAsync(script);

        foreach (var file in good)
            Assert.Equal("new " + file, File.ReadAllText(Path.Combine(root, file)));
        Assert.False(File.Exists(Path.Combine(root, rejected)));
        Assert.Equal("kept", File.ReadAllText(Path.Combine(root, "RawVideos/old/kept.txt")));
        // RawVideos exists, so 20210504 (missing) moves whole: one rename, and no mv per file there.
        Assert.Contains("mv -f -- 20210504", script.Replace("RawVideos/", "", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_folder_that_appeared_meanwhile_gets_the_files_one_folder_at_a_time_and_keeps_its_own()
    {
        using var folder = new TempDirectory();
        var (staging, root) = await StageAsync(folder, Files);
        // Made by a parallel copy after the listing: the listing did not see it.
        folder.Write("root/RawVideos/20210504/new cam 'q' $x/000000.mp4.krypton-partial", "partial");

        await RunAsync(StagingMoves.Script(staging, root, Files, [], new HashSet<string>()));

        foreach (var file in Files)
            Assert.Equal("new " + file, File.ReadAllText(Path.Combine(root, file)));
        Assert.True(File.Exists(Path.Combine(root, "RawVideos/20210504/new cam 'q' $x/000000.mp4.krypton-partial")));
        Assert.False(Directory.Exists(Path.Combine(root, "RawVideos", "RawVideos")));
    }

    [Fact]
    public async Task A_file_under_its_real_name_is_replaced()
    {
        using var folder = new TempDirectory();
        var (staging, root) = await StageAsync(folder, "AuxiliaryFiles/params.json");
        folder.Write("root/AuxiliaryFiles/params.json", "old");

        await RunAsync(
            StagingMoves.Script(
                staging,
                root,
                ["AuxiliaryFiles/params.json"],
                [],
                StagingMoves.FoldersOf(["AuxiliaryFiles/params.json"])
            )
        );

        Assert.Equal(
            "new AuxiliaryFiles/params.json",
            File.ReadAllText(Path.Combine(root, "AuxiliaryFiles/params.json"))
        );
    }
}
