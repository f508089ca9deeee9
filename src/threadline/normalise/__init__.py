"""Pure text → keys: scripts, legal forms, pinyin, places, identifiers, countries. No I/O here:
vocabularies arrive as already-loaded data (see threadline.data)."""
