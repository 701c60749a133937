"""The contribution network: its measures (:mod:`.analyse`), the slices the ``/explore`` workbench
draws (:mod:`.explore`) and the self-contained HTML view (:mod:`.view`)."""
