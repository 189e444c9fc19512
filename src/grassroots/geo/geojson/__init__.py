"""GeoJSON in and out: parsing, the import errors, checks across features, export."""
