"""The checkpoints of Tierpsy's TIERPSY analysis and its "done" test (tests/fixtures/tierpsy/FORMATS.md sections 5.1 and 5.2),
shared by the stand-in's listing (tierpsy_process) and runner (ProcessLocal.py).

A checkpoint is done when its provenance file opens as HDF5 and holds /provenance_tracking/<checkpoint>, and its
other output files exist; any read error counts as not done. The files are real HDF5 (h5py, as Tierpsy's own
environment has it), so what reads them here reads them as it would read Tierpsy's.
"""
import json
import os

import h5py
import numpy

CHECKPOINTS = ["COMPRESS", "TRAJ_CREATE", "TRAJ_JOIN", "SKE_INIT", "BLOB_FEATS", "SKE_CREATE", "SKE_FILT",
               "SKE_ORIENT", "INT_PROFILE", "INT_SKE_ORIENT", "FEAT_INIT", "FEAT_TIERPSY"]

# checkpoint -> (provenance file, other outputs); "M" is the masks folder, "R" the results folder, "<b>" the base name.
PROVENANCE = {"COMPRESS": ("M", ".hdf5"), "INT_PROFILE": ("R", "_intensities.hdf5"),
              "FEAT_INIT": ("R", "_featuresN.hdf5"), "FEAT_TIERPSY": ("R", "_featuresN.hdf5")}
OTHER_OUTPUTS = {"INT_PROFILE": [("R", "_skeletons.hdf5")]}

# Datasets each output file holds after a run (section 6; a few values instead of a video's worth).
CONTENT = {".hdf5": ["mask", "full_data", "mean_intensity", "timestamp"],
           "_skeletons.hdf5": ["trajectories_data", "skeleton"],
           "_intensities.hdf5": ["straighten_worm_intensity_median"],
           "_featuresN.hdf5": ["trajectories_data", "blob_features", "timeseries_data", "features_stats"]}


def path(kind, suffix, base, masks, results):
    return os.path.join(masks if kind == "M" else results, base + suffix)


def provenance_file(point, base, masks, results):
    kind, suffix = PROVENANCE.get(point, ("R", "_skeletons.hdf5"))
    return path(kind, suffix, base, masks, results)


def outputs(base, masks, results):
    """The runner's output files, in the order it copies them to the final folders."""
    return [path("R", s, base, masks, results) for s in ("_skeletons.hdf5", "_intensities.hdf5", "_featuresN.hdf5")] \
        + [path("M", ".hdf5", base, masks, results)]


def is_done(point, base, masks, results):
    try:
        with h5py.File(provenance_file(point, base, masks, results), "r") as f:
            if "provenance_tracking" not in f or point not in f["provenance_tracking"]:
                return False
    except Exception:
        return False
    return all(os.path.exists(path(k, s, base, masks, results)) for k, s in OTHER_OUTPUTS.get(point, []))


def unfinished(points, base, masks, results):
    """Walks the checkpoints in order and stops at the first that is not done: it and all after it."""
    for i, point in enumerate(points):
        if not is_done(point, base, masks, results):
            return points[i:]
    return []


def hydra_wells(tierpsy_args):
    """The 16 wells a Hydra camera films, when the parameter file splits the field of view (MWP_mapping) and the
    imgstore's name ends with a camera serial of the mapping (a copy of Tierpsy's HYDRA_96WP_UPRIGHT.json beside this
    file); [] otherwise."""
    try:
        with open(tierpsy_args[tierpsy_args.index("--json_file") + 1]) as f:
            mapping = json.load(f).get("MWP_mapping", "")
    except (ValueError, IndexError, OSError):
        return []
    if not mapping:
        return []
    with open(os.path.join(os.path.dirname(os.path.realpath(__file__)), mapping)) as f:
        hydra = json.load(f)
    serial = os.path.basename(os.path.dirname(tierpsy_args[1])).rsplit(".", 1)[-1]
    channel = hydra["MWP_camera2channelrig"].get(serial, [None])[0]
    return [w for row in hydra["MWP_channel2well"].get(channel, []) for w in row]


def write_output(point, base, masks, results, tierpsy_args):
    """What a step leaves: its provenance file with the step's datasets and, last, its node (a JSON byte array).
    COMPRESS and FEAT_TIERPSY of a split field of view also write /fov_wells (well_name, is_good_well) as Tierpsy
    does (FORMATS.md section 6)."""
    target = provenance_file(point, base, masks, results)
    os.makedirs(os.path.dirname(target), exist_ok=True)
    wells = hydra_wells(tierpsy_args) if point in ("COMPRESS", "FEAT_TIERPSY") else []
    with h5py.File(target, "w" if point == "COMPRESS" else "a") as f:
        if wells and "fov_wells" not in f:
            f.create_dataset("fov_wells", data=numpy.array([(w.encode(), 1) for w in wells],
                                                           dtype=[("well_name", "S3"), ("is_good_well", "i4")]))
        for name in CONTENT[target[len(os.path.join(os.path.dirname(target), base)):]]:
            if name not in f:
                f.create_dataset(name, data=numpy.arange(4, dtype="float32"))
        node = json.dumps({"func_name": point.lower(), "func_arguments": json.dumps(tierpsy_args),
                           "pkgs_versions": {"tierpsy": "1.5.3a"}, "cmd_original": " ".join(tierpsy_args)})
        group = f.require_group("provenance_tracking")
        if point in group:
            del group[point]
        group.create_dataset(point, data=numpy.frombuffer(node.encode(), dtype="uint8"))
