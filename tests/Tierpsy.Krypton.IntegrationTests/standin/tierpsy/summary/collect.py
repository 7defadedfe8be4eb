"""Stand-in for tierpsy.summary.collect (Tierpsy Tracker 1.5.3a) for the Summarize tests.

calculate_summaries has the real 1.5.3a signature and its order of work (tests/fixtures/tierpsy/FORMATS.md section
8): the options are checked first (check_n_parallel fails as the real one does on a None), then the *_featuresN.hdf5
files are found recursively and sorted, both summary files are written with their header lines before any file is
read, and each file adds its filenames row; the features table gets its header row with the first file that has
features, so a day in which no trajectory passes the filters has a features file of comment lines only, as the real
one writes. Features are a few columns instead of 3016. A day without features files prints 'No valid files found.
Nothing to do here.' and writes nothing.

Test controls (files in the day folder): FAIL_SUMMARY makes it raise; STANDIN_WORM_LENGTH_UM holds the mean worm
length of every trajectory of the day (default 1000), which the length filter keeps or drops as Tierpsy's does;
STANDIN_SUMMARY_SECONDS holds how long the summary takes (default: no time), as a day of many videos does. A features
file with /fov_wells (a split field of view) gives one row per well with well_name and is_good_well.
"""
import datetime
import glob
import os
import time

import h5py


def check_n_parallel(n_par):
    if any(x.startswith(('PBS_', 'SLURM_')) for x in os.environ):
        return max(1, n_par)
    return max(1, min(n_par, max(1, (os.cpu_count() or 2) - 1)))


def _passes(length, kwargs):
    low, high = kwargs.get("filter_length_min", ""), kwargs.get("filter_length_max", "")
    return (low == "" or length >= float(low)) and (high == "" or length <= float(high))


def calculate_summaries(root_dir, feature_type, summary_type, is_manual_index, abbreviate_features, dorsal_side_known,
                        time_windows='0:end', time_units=None, select_feat='all', keywords_include='', keywords_exclude='',
                        _is_debug=False, n_parallel=-1, **kwargs):
    n_parallel = check_n_parallel(n_parallel)
    if os.path.exists(os.path.join(root_dir, "FAIL_SUMMARY")):
        raise ValueError("stand-in failure requested for %s" % root_dir)
    length_file = os.path.join(root_dir, "STANDIN_WORM_LENGTH_UM")
    length = float(open(length_file).read()) if os.path.exists(length_file) else 1000.0
    seconds_file = os.path.join(root_dir, "STANDIN_SUMMARY_SECONDS")
    if os.path.exists(seconds_file):
        time.sleep(float(open(seconds_file).read()))

    stamp = datetime.datetime.now().strftime('%Y%m%d_%H%M%S')
    files = sorted(glob.glob(os.path.join(root_dir, '**', '*_featuresN.hdf5'), recursive=True))
    if not files:
        print("No valid files found. Nothing to do here.", flush=True)
        return None, None
    kind = "%s_%s" % (feature_type, summary_type)
    names = os.path.join(root_dir, "filenames_summary_%s_%s.csv" % (kind, stamp))
    feats = os.path.join(root_dir, "features_summary_%s_%s.csv" % (kind, stamp))
    with open(names, "w") as f:
        f.write("# FEATURE SUMMARIES FILE,%s\n# TIERPSY_VERSION,1.5.3a\n# SUMMARY_TYPE,%s\n# SELECTED FEATURES,%s\n" % (
            feats, kind, select_feat))
        f.write("# MIN/MAX WORM LENGTH,%s,%s,microns\n# MIN/MAX WORM WIDTH,%s,%s,microns\n" % (
            kwargs.get("filter_length_min"), kwargs.get("filter_length_max"),
            kwargs.get("filter_width_min"), kwargs.get("filter_width_max")))
        f.write("file_id,filename,is_good\n")
    with open(feats, "w") as f:
        f.write("# FILENAMES SUMMARY FILE,%s\n" % names)

    print("Extracting features summary. File 0 of %d done. Total time: 0:00:00" % len(files), flush=True)
    header_written = False
    for i, path in enumerate(files):
        good = _passes(length, kwargs)
        try:
            with h5py.File(path, "r") as h5:
                wells = [w.decode() for w in h5["fov_wells"]["well_name"]] if "fov_wells" in h5 else []
        except OSError:  # a test's placeholder, not HDF5: read as a file without wells, as before
            wells = []
        with open(names, "a") as f:
            f.write("%d,%s,%s\n" % (i, path, good))
        if good:
            with open(feats, "a") as f:
                if not header_written:
                    f.write("file_id,n_skeletons,well_name,is_good_well,speed_50th,length_50th\n" if wells
                            else "file_id,n_skeletons,speed_50th,length_50th\n")
                    header_written = True
                if wells:  # one row per well, unsorted as Tierpsy writes them (FORMATS.md section 8)
                    for k, well in sorted(enumerate(wells), key=lambda x: x[1][::-1]):
                        f.write("%d,%.1f,%s,1,%s,%s\n" % (i, 500.0 + 10 * k, well, 100 + 5 * k, length))
                else:
                    f.write("%d,%.1f,%s,%s\n" % (i, 500.0 + i, 100 + i, length))
        print("Extracting features summary. File %d of %d done. Total time: 0:00:00" % (i + 1, len(files)), flush=True)
    print("*" * 28 + "\nFINISHED. Created Files:\n-> %s\n-> %s" % (names, feats), flush=True)
