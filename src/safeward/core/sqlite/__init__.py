"""SQLite backend: writers queue for the write lock; registered tables are stored by their key."""
