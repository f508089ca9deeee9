"""`python -m threadline.cli`, and the file `spark-submit` runs (README, "On a cluster")."""

from threadline.cli import main

if __name__ == "__main__":
    main()
