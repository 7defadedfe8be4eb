#!/usr/bin/env python3
"""Stand-in for Tierpsy's per-video runner (tierpsy/processing/ProcessLocal.py).

It takes the real command line and prints the log lines of shared/tierpsy/FORMATS.md section 7: the debug dict
reprs, '<b> Starting checkpoint: <FIRST>', one line per checkpoint holding only its name, and at the end
'<b>  Finished in <LAST>. Total time 0:00:01.' and '<b>  Finished. Total time 0:00:01.' (two spaces). It writes
the output files of each step (masked video after COMPRESS, skeletons, intensities and featuresN files after theirs).

A file named FAIL_COMPRESS_ONCE in the video's folder makes COMPRESS fail once, as flaky storage does on the real
cluster: the run prints a Python traceback, deletes the marker and exits with code 1, so a resubmission succeeds.
"""
import os
import sys
import time

args = sys.argv[1:]
video = args[0]


def option(name):
    return args[args.index(name) + 1]


masks, results = option("--masks_dir"), option("--results_dir")
points = args[args.index("--analysis_checkpoints") + 1:]
points = [p for p in points[:next((i for i, p in enumerate(points) if p.startswith("--")), len(points))]]
base = os.path.splitext(os.path.basename(video))[0]
OUTPUTS = {"COMPRESS": (masks, ".hdf5"), "TRAJ_CREATE": (results, "_skeletons.hdf5"),
           "INT_PROFILE": (results, "_intensities.hdf5"), "FEAT_INIT": (results, "_featuresN.hdf5")}

assert sys.stdin.read() == "", "stdin must be /dev/null"
print({base: "", os.path.basename(video): os.path.dirname(video), base + ".hdf5": masks})
print({base: "", os.path.basename(video): os.path.dirname(video), base + ".hdf5": option("--tmp_mask_dir")})
print("%s Starting checkpoint: %s" % (base, points[0]), flush=True)
marker = os.path.join(os.path.dirname(video), "FAIL_COMPRESS_ONCE")
for point in points:
    print(point, flush=True)
    if point == "COMPRESS" and os.path.exists(marker):
        os.remove(marker)
        print("%s Starting video compression." % base)
        print("Traceback (most recent call last):")
        print('  File "%s", line 1, in compressVideo' % os.path.realpath(__file__))
        print("OSError: [Errno 5] Input/output error: '%s'" % video)
        sys.exit(1)
    time.sleep(0.1)
    if point in OUTPUTS:
        folder, suffix = OUTPUTS[point]
        os.makedirs(folder, exist_ok=True)
        with open(os.path.join(folder, base + suffix), "w") as f:
            f.write("stand-in output of %s\n" % point)
print("%s  Finished in %s. Total time 0:00:01." % (base, points[-1]))
print("%s  Finished. Total time 0:00:01." % base)
