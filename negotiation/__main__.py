"""``python -m negotiation`` runs the command line."""

from negotiation.cli import main

if __name__ == "__main__":
    main()
