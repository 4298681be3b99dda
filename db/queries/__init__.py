"""Database: query modules, one per table family; they read and write rows, return named records.

Every query is written with peewee expressions (placeholders, booleans and dates translated per
engine), so that it runs the same on SQLite and PostgreSQL. Services keep the rules and the
transactions; nothing outside `db/` writes SQL.
"""
