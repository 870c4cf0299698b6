"""Renderers for the products people read: maps, charts, fact sheets, the ministry report, decks, the site."""
