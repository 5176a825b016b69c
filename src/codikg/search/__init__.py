"""Thai-aware search: the index built with a release, matching at query time."""
