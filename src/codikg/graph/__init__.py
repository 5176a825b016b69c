"""Plan model + curation → RDF dataset: IRIs, document and curated graphs, catalog, VoID, schema.org, serialisations."""
