namespace Tierpsy.Krypton.Generators.Tierpsy;

/// <summary>
/// What Tierpsy 1.5.3a accepts in a parameter file (docs/tierpsy-parameters.md): the 53 keys, old key
/// names it rewrites, keys only other versions accept, <c>analysis_type</c> aliases and the checkpoint sequences.
/// </summary>
internal static class TrackerCatalog
{
    /// <summary>The Tierpsy version these rules describe.</summary>
    public const string Version = "1.5.3a";

    public static IReadOnlyDictionary<string, TrackerParameter> Parameters { get; } = Load();

    /// <summary>Old names 1.5.3a still reads, and what it does with them.</summary>
    public static IReadOnlyDictionary<string, string> OldKeys { get; } =
        new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["has_timestamp"] = "is dropped and its value ignored",
            ["min_displacement"] = "is dropped and its value ignored",
            ["fps_filter"] = "is dropped and its value ignored",
            ["traj_bgnd_buff_size"] = "is dropped and its value ignored",
            ["traj_bgnd_frame_gap"] = "is dropped and its value ignored",
            ["fps"] = "is read as \"expected_fps\"",
            ["threshold_factor"] = "is read as \"worm_bw_thresh_factor\"",
            ["is_invert_thresh"] = "is read as \"is_light_background\" (the value is copied, not inverted)",
            ["is_fluorescence"] = "is read as \"is_light_background\" (the value is copied, not inverted)",
            ["min_length"] = "is read as \"traj_min_box_width\"",
            ["min_box_width"] = "is read as \"traj_min_box_width\"",
            ["max_area"] = "is read as \"mask_max_area\"",
            ["save_int_maps"] = "is read as \"int_save_maps\"",
            ["is_extract_metadata"] = "is read as \"is_extract_timestamp\"",
            ["min_area"] = "sets \"mask_min_area\" to its value and \"traj_min_area\" to half of it",
            ["filter_model_name"] = "sets \"nn_filter_to_use\" to \"tensorflow_default\" whatever its value",
            ["use_nn_filter"] = "sets \"nn_filter_to_use\" (true: \"tensorflow_default\", false: \"none\")",
            ["MWP_total_n_wells"] =
                "belongs to the old multiwell triple: with MWP_whichsideup and MWP_well_shape it is turned into "
                + "\"MWP_mapping\" and removed",
            ["MWP_whichsideup"] =
                "belongs to the old multiwell triple: with MWP_total_n_wells and MWP_well_shape it is turned into "
                + "\"MWP_mapping\" and removed",
            ["MWP_well_shape"] =
                "belongs to the old multiwell triple: with MWP_total_n_wells and MWP_whichsideup it is turned into "
                + "\"MWP_mapping\" and removed",
        };

    /// <summary>Keys that only Tierpsy before 2022-03 accepted; 1.5.3a stops with "is not a valid parameter".</summary>
    public static IReadOnlyDictionary<string, string> OlderVersionsOnly { get; } =
        new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["MWP_well_masked_edge"] =
                "the masked edge now lives in the FOV-splitting map file; remove the key and set \"MWP_mapping\"",
        };

    /// <summary>Keys that need a Tierpsy from late March 2022 (PR #76) or later.</summary>
    public static IReadOnlyCollection<string> NewerVersionsOnly { get; } =
        new[] { "MWP_mapping", "MWP_path_to_custom_mapping" };

    /// <summary>Old <c>analysis_type</c> values and what 1.5.3a reads them as.</summary>
    public static IReadOnlyDictionary<string, string> AnalysisTypeAliases { get; } =
        new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["WORM"] = "OPENWORM",
            ["WORM_SINGLE"] = "OPENWORM",
            ["WT2"] = "OPENWORM_WT2",
            ["MANUAL"] = "OPENWORM_MANUAL",
            ["TEST"] = "TIERPSY_AEX",
        };

    /// <summary>The 20 checkpoint names that map to a runnable step.</summary>
    public static IReadOnlyCollection<string> Checkpoints { get; } =
        new[]
        {
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
        };

    /// <summary>The checkpoints an analysis type runs by default (what an empty list means).</summary>
    public static IReadOnlyList<string> DefaultSequence(string analysisType)
    {
        string[] base_ =
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
        ];
        string[] wt2 =
        [
            "COMPRESS",
            "COMPRESS_ADD_DATA",
            "TRAJ_CREATE",
            "TRAJ_JOIN",
            "SKE_INIT",
            "BLOB_FEATS",
            "SKE_CREATE",
            "SKE_FILT",
            "SKE_ORIENT",
            "STAGE_ALIGMENT",
            "INT_PROFILE",
            "INT_SKE_ORIENT",
        ];
        return analysisType switch
        {
            "BASE" => base_,
            "TIERPSY" or "TIERPSY_SINGLE" => [.. base_, "FEAT_INIT", "FEAT_TIERPSY"],
            "TIERPSY_AEX" => [.. base_, "FOOD_CNT", "FEAT_INIT", "FEAT_TIERPSY"],
            "OPENWORM" or "OPENWORM_SINGLE" => [.. base_, "FEAT_CREATE"],
            "BASE_WT2" => wt2,
            "TIERPSY_WT2" => [.. wt2, "FEAT_INIT", "FEAT_TIERPSY"],
            "OPENWORM_WT2" => [.. wt2, "FEAT_CREATE", "WCON_EXPORT"],
            "PHARYNX" =>
            [
                "COMPRESS",
                "TRAJ_CREATE",
                "TRAJ_JOIN",
                "SKE_INIT",
                "BLOB_FEATS",
                "SKE_CREATE",
                "SKE_PHARYNX",
            ],
            "TIERPSY_FEATURES" => ["FEAT_INIT", "FEAT_TIERPSY"],
            "OPENWORM_FEATURES" => ["FEAT_CREATE"],
            "OPENWORM_MANUAL" => ["FEAT_MANUAL_CREATE"],
            _ => [],
        };
    }

    private static Dictionary<string, TrackerParameter> Load()
    {
        using var stream = typeof(TrackerCatalog).Assembly.GetManifestResourceStream("tracker-parameters.tsv")
            ?? throw new InvalidOperationException("tracker-parameters.tsv is not embedded in the generator.");
        using var reader = new StreamReader(stream);
        var parameters = new Dictionary<string, TrackerParameter>(StringComparer.Ordinal);
        reader.ReadLine(); // header: name, default, json_type, valid_options, description
        while (reader.ReadLine() is { } line)
        {
            var cells = line.Split('\t');
            if (cells.Length < 5)
                continue;
            var options = cells[3].Length == 0 ? Array.Empty<string>() : cells[3].Split('|');
            parameters[cells[0]] = new TrackerParameter(cells[0], cells[2], options, cells[4]);
        }
        return parameters;
    }
}
