"""Packaged reference data (lists, gazetteer, vocabularies, rules, algorithms) and validating loaders."""
