"""What leaves the graph for people and other tools: contribution-analysis exports (:mod:`.export`,
its kinds in :mod:`.formats`), the printable report (:mod:`.report`), fragments written back out
(:mod:`.roundtrip`) and query results as plain tables (:mod:`.results`)."""
