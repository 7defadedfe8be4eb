using Tierpsy.Krypton.Remote;
using Tierpsy.Krypton.Text;

namespace Tierpsy.Krypton.Workflow;

/// <summary>
/// The project's folders on the cluster, as absolute paths (the remote home already put in for <c>~</c>).
/// </summary>
internal sealed record ProjectLayout(string Root)
{
    /// <summary>Raw videos, one folder per imaging day.</summary>
    public string RawVideos => RemotePath.Combine(Root, "RawVideos");

    /// <summary>Tierpsy's masked videos (the name is fixed: Tierpsy derives paths from it).</summary>
    public string MaskedVideos => RemotePath.Combine(Root, "MaskedVideos");

    /// <summary>Tierpsy's results (the name is fixed too).</summary>
    public string Results => RemotePath.Combine(Root, "Results");

    /// <summary>Parameter files.</summary>
    public string AuxiliaryFiles => RemotePath.Combine(Root, "AuxiliaryFiles");

    /// <summary>Listings, task lists, submissions and their logs.</summary>
    public string Workspace => RemotePath.Combine(Root, "workspace");

    /// <summary>Tierpsy's temporary root, per project so that two projects never share temporary files.</summary>
    public string Tmp => RemotePath.Combine(Root, "Tmp");

    /// <summary>A raw video's path below RawVideos/ (the day and its name), other paths as they are.</summary>
    public string ShortVideo(string video) =>
        video.StartsWith(RawVideos + "/", StringComparison.Ordinal) ? video[(RawVideos.Length + 1)..] : video;

    /// <summary>
    /// The layout a submission was made in, from its folder (<c>&lt;root&gt;/workspace/submissions/&lt;id&gt;</c>):
    /// no connection is needed to learn the remote home. Null for a folder of another shape.
    /// </summary>
    public static ProjectLayout? OfSubmission(string directory)
    {
        var at = directory.LastIndexOf("/workspace/submissions/", StringComparison.Ordinal);
        return at > 0 ? new ProjectLayout(directory[..at]) : null;
    }

    /// <summary>The folder of one submission.</summary>
    public string Submission(string id) => RemotePath.Combine(Workspace, "submissions", id);
}
