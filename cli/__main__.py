"""``python -m kolmap.cli``: the ``kolmap`` command."""

from kolmap.cli import main

if __name__ == "__main__":
    main()
