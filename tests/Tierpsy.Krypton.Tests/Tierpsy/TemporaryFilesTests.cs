using Tierpsy.Krypton.Tierpsy;

namespace Tierpsy.Krypton.Tests.Tierpsy;

public class TemporaryFilesTests
{
    [Theory]
    [InlineData("Tmp/MaskedVideos/20210504/cam one.22956818/metadata.hdf5", "20210504/cam one.22956818/metadata")]
    [InlineData("Tmp/Results/20210504/cam one.22956818/metadata_skeletons.hdf5", "20210504/cam one.22956818/metadata")]
    [InlineData("Tmp/Results/20210504/cam/metadata_featuresN.hdf5", "20210504/cam/metadata")]
    [InlineData("Tmp/Results/20210504/cam/metadata_features.hdf5", "20210504/cam/metadata")]
    [InlineData("Tmp/Results/20210504/cam/metadata_intensities.hdf5", "20210504/cam/metadata")]
    [InlineData("Tmp/Results/20210504/cam/metadata.wcon.zip", "20210504/cam/metadata")]
    [InlineData("Tmp/MaskedVideos/20210504/cam/metadata_subsample.avi", "20210504/cam/metadata")]
    [InlineData("Tmp/Results/synth_worms_trajectories.hdf5", "synth_worms")]
    [InlineData("Tmp/Results/d/my_skeletons_run_skeletons.hdf5", "d/my_skeletons_run")]
    public void A_temporary_file_belongs_to_the_video_whose_name_it_starts_with(string path, string video) =>
        Assert.Equal(video, TemporaryFiles.VideoOf(path));

    [Theory]
    [InlineData("Tmp/notes.txt")]
    [InlineData("Tmp/Other/d/a.hdf5")]
    [InlineData("Results/d/a_skeletons.hdf5")]
    public void Other_files_belong_to_no_video(string path) => Assert.Null(TemporaryFiles.VideoOf(path));

    [Theory]
    [InlineData("20210504/cam one.22956818/metadata.yaml", "20210504/cam one.22956818/metadata")]
    [InlineData("20210506/synth_worms.mp4", "20210506/synth_worms")]
    [InlineData("video.avi", "video")]
    [InlineData("d/.hidden", "d/.hidden")]
    public void A_raw_video_is_named_by_its_folder_and_its_name_without_the_extension(string path, string key) =>
        Assert.Equal(key, TemporaryFiles.VideoKey(path));
}
