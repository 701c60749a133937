"""The learnt decision on changed actors: a small logistic model over the candidates the finders and the
parse already give, instead of more hand-written rules (issue 12, round 7; docs/extraction.md).

One module per concern:

- :mod:`.candidates` — every actor the outcome description names (the finders' mentions, grouped by actor)
  plus the parse's subjects and entities no finder took: what the decision chooses from;
- :mod:`.features` — a few explainable features per candidate (grammatical role, position, source, shape);
- :mod:`.scorer` — the model (coefficients in ``model.json``, shipped in the package) and the decision;
- :mod:`.train` — a deterministic L2 logistic regression in numpy (Newton's method), to rebuild ``model.json``;
- :mod:`.loso` — leave-one-set-out: rules vs learnt per labelled set (``python -m harvestgraph.actors.learnt.loso``).
"""
