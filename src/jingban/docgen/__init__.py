"""Pages of docs/ generated from the code, so they cannot drift from it."""
