"""``python -m matching rank ...``"""

from matching.cli import main

if __name__ == "__main__":
    main(prog_name="python -m matching")
