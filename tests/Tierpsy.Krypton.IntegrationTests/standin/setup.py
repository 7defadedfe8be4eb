# Stand-in for Tierpsy Tracker's setup.py, for Setup's tests: `pip install -e .` makes the `tierpsy_process` command
# (the real one's name) that runs this folder's stand-in. Like the real setup.py it needs no network to build.
from setuptools import setup

setup(
    name="tierpsy",
    version="1.5.3a",
    packages=["tierpsy", "tierpsy.summary"],
    entry_points={"console_scripts": ["tierpsy_process=tierpsy.standin_entry:main"]},
)
