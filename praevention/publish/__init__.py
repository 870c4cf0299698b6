"""Publication of the products: the output folder's claim and manifest, the one text extractor, and the privacy
scan and product check over the staged products before they are published."""
