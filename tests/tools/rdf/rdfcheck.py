#!/usr/bin/env python3
"""Parses RDF documents with rdflib and reports on them as JSON, for the catalog's DCAT tests.

usage: rdfcheck.py [--query SPARQL] FORMAT=FILE [FORMAT=FILE ...]
FORMAT is an rdflib parser name (turtle, xml, json-ld). Prints {"triples": [...], "isomorphic": bool, "rows": [...]}:
the triple count of each document, whether all documents give the same graph (blank nodes matched up), and the
rows of the SPARQL query run on the first document (each row a list of strings).
"""
import json
import sys

from rdflib import Graph
from rdflib.compare import isomorphic


def main(args):
    query = None
    if args[:1] == ["--query"]:
        query, args = args[1], args[2:]
    graphs = []
    for arg in args:
        fmt, path = arg.split("=", 1)
        g = Graph()
        g.parse(path, format=fmt)
        graphs.append(g)
    report = {
        "triples": [len(g) for g in graphs],
        "isomorphic": all(isomorphic(graphs[0], g) for g in graphs[1:]),
        "rows": [],
    }
    if query is not None:
        report["rows"] = [[None if v is None else str(v) for v in row] for row in graphs[0].query(query)]
    json.dump(report, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main(sys.argv[1:])
