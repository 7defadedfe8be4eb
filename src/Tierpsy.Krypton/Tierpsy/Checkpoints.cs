namespace Tierpsy.Krypton.Tierpsy;

/// <summary>Tierpsy's analysis checkpoints, in the order the TIERPSY analysis type runs them.</summary>
internal static class Checkpoints
{
    /// <summary>The twelve checkpoints of the TIERPSY analysis type (what the Hydra parameter files list).</summary>
    public static readonly IReadOnlyList<string> Tierpsy =
    [
        "COMPRESS",
        "TRAJ_CREATE",
        "TRAJ_JOIN",
        "SKE_INIT",
        "BLOB_FEATS",
        "SKE_CREATE",
        "SKE_FILT",
        "SKE_ORIENT",
        "INT_PROFILE",
        "INT_SKE_ORIENT",
        "FEAT_INIT",
        "FEAT_TIERPSY",
    ];

    /// <summary>
    /// The 20 names that map to a runnable step in any analysis type (<c>STAGE_ALIGMENT</c> is spelled so upstream).
    /// </summary>
    public static readonly IReadOnlySet<string> All = new HashSet<string>(
        [
            "BLOB_FEATS",
            "COMPRESS",
            "COMPRESS_ADD_DATA",
            "FEAT_CREATE",
            "FEAT_INIT",
            "FEAT_MANUAL_CREATE",
            "FEAT_TIERPSY",
            "FOOD_CNT",
            "INT_PROFILE",
            "INT_SKE_ORIENT",
            "SKE_CREATE",
            "SKE_FILT",
            "SKE_INIT",
            "SKE_ORIENT",
            "SKE_PHARYNX",
            "STAGE_ALIGMENT",
            "TRAJ_CREATE",
            "TRAJ_JOIN",
            "VID_SUBSAMPLE",
            "WCON_EXPORT",
        ],
        StringComparer.Ordinal
    );
}
