"""The office's case page: where the case file, its channel's steps, the periods, the pools, the
documents and the parties' online requests meet. Above all of them, so none needs to import
another's pages; its routes go on the ``cases`` blueprint (:mod:`ipcase.office.case_page`)."""
