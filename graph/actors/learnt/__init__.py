"""Learnt parts of extraction (issue 12; docs/extraction.md):

- round 11 (session 12): a **span model** of actor names (a spaCy entity recogniser of its own, trained on the
  labelled sets' gold actors aligned to spans). Judged leave-one-set-out over nine sets it reads no better
  extents than the rules, but as new candidates (the finder :mod:`..finders.learnt`, the rules decide the
  roles) it raised changed F1 on the two least-tuned sets (dev7 0.689 -> 0.705, dev8 0.881 -> 0.900) and the mean
  of every role: it is in the pipeline since version 11. Modules: :mod:`.gold_spans` (alignment),
  :mod:`.span_model` (tags, training, spans), :mod:`.span_loso` (the leave-one-set-out tool), :mod:`.build`
  (``make model``: the committed model and its training-data hash);
- round 21 (session 21): a **model of the actors that changed** (:mod:`.changed`, the span model's architecture
  with one label, CHANGED, trained on the first sentences of the 40 sets read and tuned on). Alone it is weaker than
  the rules; asked only where the rules found no actor that changed, naming mentions the finders resolved
  (:func:`..roles.changed`), it raised changed actors on the ten sets nobody reads from 426 / 13 / 27 to 430 / 13 / 23;
  built by ``make model`` with the span model;
- round 7 (session 9): a learnt decision on changed actors: a small logistic model over the candidates the finders
  and the parse already give, instead of more hand-written rules.

Not the pipeline's decision: judged leave-one-set-out it does not beat the rules, neither with today's code
(where the rules, tuned on five of the six sets, are nearly always right and the model copies them) nor on the
honest folds (candidates and rules from the code before each set's round): dev3 0.626 -> 0.637, dev4 0.833 ->
0.840, dev5 0.679 -> 0.647. The candidates' extents, not the decision, limit what is found. It stays as the
tool that measures that ceiling per set and judges the next proposal against the rules.

One module per concern (round 7):

- :mod:`.candidates` — every actor the outcome description names (the finders' mentions, grouped by actor)
  plus the parse's subjects and entities no finder took: what the decision chooses from;
- :mod:`.features` — a few explainable features per candidate (grammatical role, position, source, shape);
- :mod:`.spans` — spans read from the text the finders do not propose (the opening phrase's parts, the agent);
- :mod:`.parse` — the grammatical role of each token of the parsed sentence (for the tool, not for ingest);
- :mod:`.scorer` — a candidate's probability and the choice (pure Python);
- :mod:`.train` — a deterministic L2 logistic regression in numpy (Newton's method);
- :mod:`.loso` — leave-one-set-out: rules vs learnt per labelled set (``python -m harvestgraph.actors.learnt.loso``);
- :mod:`.unseen` — the rules' decisions and candidates on text they had not seen (the code before each round).
"""
