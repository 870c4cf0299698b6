"""Publication of the products: the privacy scan and the product check over the output folder."""
