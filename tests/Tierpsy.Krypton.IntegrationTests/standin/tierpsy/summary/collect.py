"""Stand-in for tierpsy.summary.collect (Tierpsy Tracker 1.5.3a) for the Summarize tests.

calculate_summaries takes the real arguments (shared/tierpsy/FORMATS.md section 8.1) and writes the two summary files
of section 8.2 into the day folder, with the real names, header lines and columns (a few feature columns instead of
3016), one row per *_featuresN.hdf5 file, files sorted and numbered from 0. A day without features files prints
'No valid files found. Nothing to do here.' and writes nothing. A file FAIL_SUMMARY in the day folder makes it raise.
"""
import os
import time


def calculate_summaries(root_dir, feature_type, summary_type, is_manual_index, abbreviate_features, dorsal_side_known,
                        time_windows='0:end', time_units=None, select_feat='all', keywords_include='', keywords_exclude='',
                        _is_debug=False, append_to_file=None, **kwargs):
    if os.path.exists(os.path.join(root_dir, "FAIL_SUMMARY")):
        raise ValueError("stand-in failure requested for %s" % root_dir)
    files = sorted(os.path.join(d, f) for d, _, names in os.walk(root_dir) for f in names if f.endswith("_featuresN.hdf5"))
    if not files:
        print("No valid files found. Nothing to do here.")
        return
    stamp = time.strftime("%Y%m%d_%H%M%S")
    kind = "%s_%s" % (feature_type, summary_type)
    names = os.path.join(root_dir, "filenames_summary_%s_%s.csv" % (kind, stamp))
    feats = os.path.join(root_dir, "features_summary_%s_%s.csv" % (kind, stamp))
    with open(names, "w") as f:
        f.write("# FEATURE SUMMARIES FILE,%s\n# TIERPSY_VERSION,1.5.3a\n# SUMMARY_TYPE,%s\n# SELECTED FEATURES,%s\n" % (feats, kind, select_feat))
        f.write("# MIN/MAX WORM LENGTH,%s,%s,microns\n# MIN/MAX WORM WIDTH,%s,%s,microns\n" % (
            kwargs.get("filter_length_min"), kwargs.get("filter_length_max"), kwargs.get("filter_width_min"), kwargs.get("filter_width_max")))
        f.write("file_id,filename,is_good\n")
        for i, path in enumerate(files):
            f.write("%d,%s,True\n" % (i, path))
    with open(feats, "w") as f:
        f.write("# FILENAMES SUMMARY FILE,%s\n" % names)
        f.write("file_id,n_skeletons,speed_50th,length_50th\n")
        for i, path in enumerate(files):
            print("Extracting features summary. File %d of %d done. Total time: 0:00:00" % (i, len(files)))
            f.write("%d,%.1f,%s,%s\n" % (i, 500.0 + i, 100 + i, 900 + i))
    print("*" * 28)
    print("FINISHED. Created Files:")
    print("-> %s" % names)
    print("-> %s" % feats)
