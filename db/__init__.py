"""Database: peewee row models, opening and migrating the SQLite file."""
