"""A development double of uHub: the API contract aiops consumes, served from SQLite with demo data.

Not uHub. It exists so that the product and its tests run without the real portal.
"""
