"""The harmonised panel and the before/after evaluation of the register's measures."""
