"""Extraction for pathway/workflow.py (pathway/translations/babel.cfg): the marked messages, as for
any Python file, and the words of every gate, which are the first sentence of each `gate_*`
function's docstring (`workflow.docstring_words`: what "How the pathway works" shows).

Each gate's words are flagged for a professional translator: they state the law.
"""
from __future__ import annotations

import ast

from babel.messages.extract import extract_python

CHECK = "Translators: translator-check: a gate of the pathway in words (the law, shown on How the pathway works)"


def extract_workflow(fileobj, keywords, comment_tags, options):
    source = fileobj.read()
    fileobj.seek(0)
    yield from extract_python(fileobj, keywords, comment_tags, options)
    from pathway.workflow import docstring_words

    for node in ast.parse(source).body:
        if isinstance(node, ast.FunctionDef) and node.name.startswith("gate_") and node.name != "gate_words" \
                and ast.get_docstring(node):
            yield node.lineno, None, docstring_words(ast.get_docstring(node)).words, [CHECK]
