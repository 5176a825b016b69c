"""SHACL validation of a dataset (pySHACL) and its readable report."""
