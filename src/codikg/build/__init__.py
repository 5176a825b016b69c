"""Build: plan model + curation + ontology → RDF dataset → release files."""
