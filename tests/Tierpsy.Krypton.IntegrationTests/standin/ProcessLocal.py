#!/usr/bin/python3
"""Stand-in for Tierpsy's per-video runner (tierpsy/processing/ProcessLocal.py).

It takes the real command line and prints the log lines of tests/fixtures/tierpsy/FORMATS.md section 7: the debug dict
reprs, '<b> Starting checkpoint: <FIRST>', one line per checkpoint holding only its name, '<b>  Finished in <LAST>.
Total time 0:00:01.', the 'Copying <tmp file> to <final folder>' lines and '<b>  Finished. Total time 0:00:01.'
(two spaces); with no checkpoint left, 'No checkpoints given. ...'. It works as section 5.3 says: each step writes
its HDF5 provenance file in the temp folders (checkpoints.py), the work left there by a failed run is resumed when
its list of unfinished checkpoints is the shorter, and the outputs are copied to the final folders and deleted
from the temp folders only when every step succeeded.

A file named FAIL_<CHECKPOINT>_ONCE in the video's folder (FAIL_COMPRESS_ONCE, FAIL_TRAJ_CREATE_ONCE, ...) makes
that step fail once, as flaky storage does on the real cluster: the run prints a Python traceback, deletes the
marker and exits with code 1, leaving the steps done so far in the temp folder (a failed COMPRESS also leaves a
half-written masked video without its provenance node), so a resubmission succeeds and resumes from them.
A file named SLOW_<CHECKPOINT>_ONCE makes that step take ten minutes once (the marker is deleted as it starts), as
a video too long for the walltime does: the scheduler kills the task, and a resubmission runs at the usual pace.
A file named STANDIN_TASK_SECONDS in the video's folder holding a number makes the run last at least that many
seconds (the benchmark's short tasks).
"""
import os
import shutil
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.realpath(__file__)))
import checkpoints  # noqa: E402

started = time.time()
args = sys.argv[1:]
video = args[0]


def option(name):
    return args[args.index(name) + 1]


masks, results = option("--masks_dir"), option("--results_dir")
# Empty temp options (--tmp_dir_root '') mean the final folders, as in Tierpsy's ProcessLocal.
tmp_masks, tmp_results = option("--tmp_mask_dir") or masks, option("--tmp_results_dir") or results
points = args[args.index("--analysis_checkpoints") + 1:]
points = [p for p in points[:next((i for i, p in enumerate(points) if p.startswith("--")), len(points))]]
base = os.path.splitext(os.path.basename(video))[0]


def folders(m, r):
    """The runner's debug print: each file name it may write and its folder (the masks folder for two of them)."""
    names = {base: "", os.path.basename(video): os.path.dirname(video), base + ".hdf5": m}
    for suffix in ("_trajectories.hdf5", "_skeletons.hdf5", "_features.hdf5", "_featuresN.hdf5", "_feat_manual.hdf5",
                   "_intensities.hdf5", "_subsample.avi", ".wcon.zip"):
        names[base + suffix] = m if suffix == "_subsample.avi" else r
    return names


assert sys.stdin.read() == "", "stdin must be /dev/null"
print(folders(masks, results))
print(folders(tmp_masks, tmp_results))
final_left = checkpoints.unfinished(points, base, masks, results)
tmp_left = checkpoints.unfinished(points, base, tmp_masks, tmp_results)
if not final_left:
    print("%s No checkpoints given. It seems that there is a previous analysis finished. Exiting." % base)
    print(folders(tmp_masks, tmp_results))
    print(folders(masks, results))
    print("%s  Finished. Total time 0:00:00." % base)
    sys.exit(0)
if len(tmp_left) >= len(final_left):
    # Start from the final folders: what the first step needs from them is copied to the temp folders first.
    tmp_left = final_left
    for src, dst in zip(checkpoints.outputs(base, masks, results), checkpoints.outputs(base, tmp_masks, tmp_results)):
        if os.path.exists(src) and os.path.abspath(src) != os.path.abspath(dst):
            print("Copying %s to %s" % (src, os.path.dirname(dst)))
            os.makedirs(os.path.dirname(dst), exist_ok=True)
            shutil.copy(src, dst)
print("%s Starting checkpoint: %s" % (base, tmp_left[0]), flush=True)
for point in tmp_left:
    print(point, flush=True)
    marker = os.path.join(os.path.dirname(video), "FAIL_%s_ONCE" % point)
    if os.path.exists(marker):
        os.remove(marker)
        if point == "COMPRESS":
            os.makedirs(tmp_masks, exist_ok=True)
            with open(os.path.join(tmp_masks, base + ".hdf5"), "wb") as f:
                f.write(b"\x89HDF\r\n\x1a\n")  # the start of an HDF5 file, no more: the write failed
            print("%s Starting video compression." % base)
        print("Traceback (most recent call last):")
        print('  File "%s", line 1, in %s' % (os.path.realpath(__file__), point.lower()))
        print("OSError: [Errno 5] Input/output error: '%s'" % video)
        sys.exit(1)
    slow = os.path.join(os.path.dirname(video), "SLOW_%s_ONCE" % point)
    if os.path.exists(slow):
        os.remove(slow)
        time.sleep(600)
    time.sleep(0.1)
    checkpoints.write_output(point, base, tmp_masks, tmp_results, sys.argv)
duration = os.path.join(os.path.dirname(video), "STANDIN_TASK_SECONDS")
if os.path.exists(duration):
    with open(duration) as f:
        time.sleep(max(0.0, float(f.read()) - (time.time() - started)))
print("%s  Finished in %s. Total time 0:00:01." % (base, tmp_left[-1]))
print(folders(tmp_masks, tmp_results))
print(folders(masks, results))
for src, dst in zip(checkpoints.outputs(base, tmp_masks, tmp_results), checkpoints.outputs(base, masks, results)):
    if os.path.exists(src) and os.path.abspath(src) != os.path.abspath(dst):
        print("Copying %s to %s" % (src, os.path.dirname(dst)))
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        shutil.copy(src, dst)
        os.remove(src)
print("%s  Finished. Total time 0:00:01." % base)
