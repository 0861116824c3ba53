"""A six-batch variant of a firm-level folder (by default the synthetic sample): the last
`moved` firms of batch 5 in file order become batch 6, still announced and not yet reviewed,
every other cell unchanged. It stands in for next year's list with a sixth batch, to show that
a new batch needs no code change (tests/test_six_batches.py):

    python -m tools.six_batches data/sample build/six-batches

Counts follow by hand from the sample's batches (data/sample/README.md): batch 5 keeps
3,671 − moved announced and analysed firms, batch 6 has `moved` of each; the totals (12,950
announced, 12,192 analysed) do not change. The cut-off stays the sample's: its patent rows end in
the cut-off year, and a later cut-off needs next year's patent rows too."""

from __future__ import annotations

import argparse
from pathlib import Path

from tools.variants import write_with_one_file_changed

MOVED = 1000  # firms of batch 5 that become batch 6
FROM_BATCH, NEW_BATCH = 5, 6


def write_variant(source: Path, target: Path, moved: int = MOVED) -> Path:
    """Copy `source` to `target` with the last `moved` firms of batch 5 relabelled batch 6;
    returns `target`. Every file but firms.csv is copied byte for byte."""
    source = Path(source)

    def sixth_batch(firms):
        candidates = firms.index[firms["batch_no"] == str(FROM_BATCH)]
        if len(candidates) < moved:
            raise ValueError(
                f"{source / 'firms.csv'}: {len(candidates)} firms of batch {FROM_BATCH}, "
                f"fewer than the {moved} to move to batch {NEW_BATCH}"
            )
        chosen = candidates[len(candidates) - moved :]
        firms.loc[chosen, "batch_no"] = str(NEW_BATCH)
        firms.loc[chosen, "review_status"] = "announced"
        return firms

    return write_with_one_file_changed(source, target, "firms.csv", sixth_batch)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("source", type=Path, help="a firm-level folder, e.g. data/sample")
    parser.add_argument("target", type=Path, help="the folder to write")
    parser.add_argument("--moved", type=int, default=MOVED, help="firms moved to batch 6")
    args = parser.parse_args(argv)
    print(write_variant(args.source, args.target, args.moved))


if __name__ == "__main__":
    main()
