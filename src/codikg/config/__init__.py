"""Configuration, read once: environment settings, plan and catalog files, endpoint limits."""
