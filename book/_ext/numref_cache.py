"""Numbered references ({numref}) resolved without unpickling the target page each time.

Sphinx 7.4 resolves every ``{numref}`` by reading the whole doctree of the page that
holds the target, from its pickle, only to look up one node there
(sphinx-doc/sphinx#12883). A chapter's doctree carries its executed outputs (about 1 MB
each), and the chapters cite each other's figures more than two hundred times, so the
build spent about 11 s of its 28 s in ``pickle.loads``.

This extension replaces the standard domain with a subclass that keeps one copy of each
target page's doctree for the rest of the build. The copy is only read (the target node's
type and id; the number itself comes from the environment's figure numbers), never
changed or written. A page read again drops its copy, and the copies go when the build
finishes.
"""

from __future__ import annotations

from typing import Any

from sphinx.domains.std import StandardDomain


class NumrefCachingDomain(StandardDomain):
    """The standard domain, reading each numbered reference's target page once."""

    def __init__(self, env: Any) -> None:
        super().__init__(env)
        self._target_doctrees: dict[str, Any] = {}

    def _target_doctree(self, docname: str) -> Any:
        if docname not in self._target_doctrees:
            self._target_doctrees[docname] = type(self.env).get_doctree(self.env, docname)
        return self._target_doctrees[docname]

    def _resolve_numref_xref(self, env, *args: Any, **kwargs: Any):
        # The base method calls env.get_doctree(target page) and only reads the result.
        # The attribute shadows the method for this call; whatever was there is put back.
        before = env.__dict__.get("get_doctree")
        env.get_doctree = self._target_doctree
        try:
            return super()._resolve_numref_xref(env, *args, **kwargs)
        finally:
            if before is None:
                del env.get_doctree
            else:
                env.get_doctree = before

    def clear_doc(self, docname: str) -> None:
        super().clear_doc(docname)
        self._target_doctrees.pop(docname, None)


def forget_doctrees(app, exception) -> None:
    domain = app.env.get_domain("std")
    if isinstance(domain, NumrefCachingDomain):
        domain._target_doctrees.clear()


def setup(app) -> dict:
    app.add_domain(NumrefCachingDomain, override=True)
    app.connect("build-finished", forget_doctrees)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
