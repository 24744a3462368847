#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""schema-check.py SCHEMA README JSON...: validate ima-kexec-verify --json
output against ima-kexec-verify.schema.json.

A checker of the JSON Schema keywords the schema uses, with the standard
library only (an unknown keyword in the schema is an error, so the schema
cannot say more than is checked); with python3-jsonschema installed, the
same documents are validated by it too.  Also: "schema" is the first key
of each document, and every key the schema names is in README.md.
Prints one line per document, "ok FILE" or "FAIL FILE: why"; exit 1 if
any failed.
"""
import json
import re
import sys

KNOWN = {"$schema", "$id", "title", "description", "type", "properties",
         "required", "additionalProperties", "items", "enum", "const",
         "minimum", "maximum", "pattern", "oneOf"}
TYPES = {"object": dict, "array": list, "string": str, "boolean": bool,
         "null": type(None)}


def is_type(v, t):
    if t == "integer":
        return isinstance(v, int) and not isinstance(v, bool)
    if t == "number":
        return isinstance(v, (int, float)) and not isinstance(v, bool)
    return isinstance(v, TYPES[t])


def check(s, v, path, errs):
    unknown = set(s) - KNOWN
    if unknown:
        errs.append("%s: schema keyword(s) %s not supported" % (path, unknown))
    if "type" in s:
        types = s["type"] if isinstance(s["type"], list) else [s["type"]]
        if not any(is_type(v, t) for t in types):
            errs.append("%s: %r is not %s" % (path, v, "/".join(types)))
            return
    if "const" in s and v != s["const"]:
        errs.append("%s: %r is not %r" % (path, v, s["const"]))
    if "enum" in s and not any(v == e and type(v) == type(e) for e in s["enum"]):
        errs.append("%s: %r not in %r" % (path, v, s["enum"]))
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        if "minimum" in s and v < s["minimum"]:
            errs.append("%s: %r below %r" % (path, v, s["minimum"]))
        if "maximum" in s and v > s["maximum"]:
            errs.append("%s: %r above %r" % (path, v, s["maximum"]))
    if isinstance(v, str) and "pattern" in s and not re.search(s["pattern"], v):
        errs.append("%s: %r does not match %s" % (path, v, s["pattern"]))
    if "oneOf" in s:
        ok = 0
        for sub in s["oneOf"]:
            e = []
            check(sub, v, path, e)
            ok += not e
        if ok != 1:
            errs.append("%s: matches %d of the oneOf schemas" % (path, ok))
    if isinstance(v, dict):
        props = s.get("properties", {})
        for k in s.get("required", []):
            if k not in v:
                errs.append("%s: key %s missing" % (path, k))
        for k, x in v.items():
            if k in props:
                check(props[k], x, path + "." + k, errs)
            elif s.get("additionalProperties", True) is False:
                errs.append("%s: key %s not in the schema" % (path, k))
    if isinstance(v, list) and "items" in s:
        for i, x in enumerate(v):
            check(s["items"], x, "%s[%d]" % (path, i), errs)


def keys(s, out):
    for k, sub in s.get("properties", {}).items():
        out.add(k)
        keys(sub, out)
    for sub in s.get("oneOf", []):
        keys(sub, out)
    if isinstance(s.get("items"), dict):
        keys(s["items"], out)


def main():
    schema = json.load(open(sys.argv[1]))
    readme = open(sys.argv[2]).read()
    try:
        import jsonschema
        full = jsonschema.Draft202012Validator(schema)
    except ImportError:
        full = None
    failed = 0
    names = set()
    keys(schema, names)
    missing = sorted(k for k in names
                     if "`%s`" % k not in readme and "`%s[]`" % k not in readme)
    if missing:
        print("FAIL %s: keys not in README: %s" % (sys.argv[2], missing))
        failed += 1
    for path in sys.argv[3:]:
        errs = []
        try:
            text = open(path).read()
            pairs = json.loads(text, object_pairs_hook=lambda p: p)
            doc = json.loads(text)
        except ValueError as e:
            errs.append("not JSON: %s" % e)
        else:
            if not pairs or pairs[0][0] != "schema":
                errs.append("\"schema\" is not the first key")
            check(schema, doc, "$", errs)
            if full:
                errs += ["jsonschema: %s at %s" % (e.message, list(e.path))
                         for e in full.iter_errors(doc)]
        if errs:
            failed += 1
            print("FAIL %s: %s" % (path, "; ".join(errs[:5])))
        else:
            print("ok %s%s" % (path, " (and jsonschema)" if full else ""))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
