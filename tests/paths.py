"""Where the project and the tests' data files are, wherever a test module sits."""

from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
DATA = PROJECT / "tests" / "data"
