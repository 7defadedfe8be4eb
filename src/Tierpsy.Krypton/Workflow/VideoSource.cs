using System.Runtime.Serialization;

namespace Tierpsy.Krypton.Workflow;

/// <summary>What Tierpsy analyses.</summary>
public enum VideoSource
{
    /// <summary>The raw videos in RawVideos/, from the first checkpoint.</summary>
    [EnumMember(Value = "raw")]
    Raw,

    /// <summary>The masked videos in MaskedVideos/ again, from a later checkpoint (a re-analysis).</summary>
    [EnumMember(Value = "masked")]
    Masked,
}
