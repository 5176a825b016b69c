"""Editors' curation: checks that computed findings (repeats) agree with data/curation."""
