"""The error every build input reports: a missing or malformed file, named in the message."""


class BuildError(Exception):
    """A build input is missing or malformed; the message names the file."""
