"""The only reader and writer of a release folder, and the pipeline ingest → graph → validate → write.

Nothing is imported here, so reading a release never loads the pipeline.
"""
