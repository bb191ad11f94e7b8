"""Stage 6 — compare: one story's tables, across its articles and outlets.

Takes: one story's ``record.ArticleRecord`` list (story and outlet fields filled in by the build) and the
roster of followed outlets. Hands on: that story's rows of every table (:func:`.story.story_tables`), which
:mod:`presslens.building` splices into the corpus tables and :mod:`presslens.report` shows. Never: reads
or writes processed/ or raw/, or looks beyond its story: a story's rows depend on its own records only,
which is what lets a run rebuild only the stories whose pages changed.
"""
