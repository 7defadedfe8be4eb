"""The installed `tierpsy_process` command of the stand-in source: runs the stand-in script beside the package."""
import os
import sys


def main():
    script = os.path.join(os.path.dirname(os.path.dirname(os.path.realpath(__file__))), "tierpsy_process")
    os.execv(sys.executable, [sys.executable, script, *sys.argv[1:]])
