"""Checks of the graph against the ontology: SHACL shapes (:mod:`.validate`) and OWL consistency with
owlready2 (:mod:`.reason`)."""
