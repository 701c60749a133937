"""The tests, one subpackage per room of the package (tests mirror its layout)."""
