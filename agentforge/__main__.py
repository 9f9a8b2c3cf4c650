"""``agentforge`` and ``python -m agentforge``: an interrupt while the command line loads is
one line too ("error: interrupted", exit code 130), never a traceback."""

from __future__ import annotations

import sys


def main() -> None:
    try:
        from .cli import main as run
    except KeyboardInterrupt:
        sys.stderr.write("error: interrupted\n")
        raise SystemExit(130) from None
    run()


if __name__ == "__main__":
    main()
