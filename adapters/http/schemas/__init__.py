"""The HTTP contract's bodies: attrs classes the converter structures and the document shows."""
